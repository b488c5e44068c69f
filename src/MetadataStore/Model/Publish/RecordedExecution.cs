namespace MetadataStore;

/// <summary>What <see cref="MetadataStoreExtensions.RecordExecutionAsync"/> stored, read back with ids and times.</summary>
/// <param name="Execution">The execution.</param>
/// <param name="Inputs">The input artifacts by role.</param>
/// <param name="Outputs">The output artifacts by role.</param>
/// <param name="Context">The context the execution and artifacts were put in, or <see langword="null"/>.</param>
public sealed record RecordedExecution(
    Execution Execution,
    IReadOnlyDictionary<string, Artifact> Inputs,
    IReadOnlyDictionary<string, Artifact> Outputs,
    Context? Context);
