namespace MetadataStore;

/// <summary>The last known state of an execution. The numbers are MLMD's <c>Execution.State</c> values.</summary>
public enum ExecutionState
{
    /// <summary>The state is not known.</summary>
    Unknown = 0,
    /// <summary>Created, not started.</summary>
    New = 1,
    /// <summary>Running.</summary>
    Running = 2,
    /// <summary>Finished successfully.</summary>
    Complete = 3,
    /// <summary>Finished with an error.</summary>
    Failed = 4,
    /// <summary>Skipped because cached results were reused.</summary>
    Cached = 5,
    /// <summary>Skipped because a precondition was not met.</summary>
    Canceled = 6,
}
