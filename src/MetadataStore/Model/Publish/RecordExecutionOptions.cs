namespace MetadataStore;

/// <summary>Options of <see cref="MetadataStoreExtensions.RecordExecutionAsync"/>: what a re-run of the same step reuses.</summary>
public sealed record RecordExecutionOptions
{
    /// <summary>The default: new inputs, outputs and execution are inserted (a name or external id already stored fails with AlreadyExists); a context of the same type and name is reused.</summary>
    public static RecordExecutionOptions Default { get; } = new();

    /// <summary>
    /// An input or output without an id whose external id is stored, or (without an external id) whose type and
    /// name are stored, is the stored artifact: it is linked as it is stored, not changed.
    /// </summary>
    public bool ReuseExistingArtifacts { get; init; }

    /// <summary>
    /// An execution without an id whose external id is stored, or (without an external id) whose type and name are
    /// stored, updates the stored execution (so a re-run can move its state); events it already has are kept, not
    /// recorded twice.
    /// </summary>
    public bool ReuseExistingExecution { get; init; }
}
