namespace MetadataStore;

/// <summary>The ids <see cref="IMetadataStore.PutExecutionAsync"/> wrote.</summary>
/// <param name="ExecutionId">The execution's id.</param>
/// <param name="ArtifactIds">One id per artifact/event pair, in order; -1 for a pair with neither artifact nor event artifact id.</param>
/// <param name="ContextIds">One id per context, in order.</param>
public sealed record PutExecutionResult(long ExecutionId, IReadOnlyList<long> ArtifactIds, IReadOnlyList<long> ContextIds);
