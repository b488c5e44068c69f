namespace MetadataStore;

/// <summary>
/// The parts of a <see cref="LineageGraph"/> a lineage query returns (MLMD's <c>read_mask</c> paths <c>artifacts</c>,
/// <c>executions</c>, <c>contexts</c>, <c>events</c>, <c>attributions</c>, <c>associations</c> and the three <c>*_types</c>).
/// Parts left out come back empty; the traversal itself is the same.
/// </summary>
[Flags]
public enum LineageReadMask
{
    /// <summary>Nothing; refused as InvalidArgument, as MLMD refuses an empty mask.</summary>
    None = 0,
    /// <summary>The artifacts reached.</summary>
    Artifacts = 1,
    /// <summary>The executions reached.</summary>
    Executions = 2,
    /// <summary>The contexts the artifacts are attributed to and the executions associated with.</summary>
    Contexts = 4,
    /// <summary>The types of the artifacts returned.</summary>
    ArtifactTypes = 8,
    /// <summary>The types of the executions returned.</summary>
    ExecutionTypes = 16,
    /// <summary>The types of the contexts returned.</summary>
    ContextTypes = 32,
    /// <summary>The events the traversal crossed.</summary>
    Events = 64,
    /// <summary>The attributions of the artifacts returned.</summary>
    Attributions = 128,
    /// <summary>The associations of the executions returned.</summary>
    Associations = 256,
    /// <summary>Every part (the default).</summary>
    All = Artifacts | Executions | Contexts | ArtifactTypes | ExecutionTypes | ContextTypes | Events | Attributions | Associations,
}
