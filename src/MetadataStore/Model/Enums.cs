namespace MetadataStore;

/// <summary>The kind of value a property holds. The numbers are MLMD's <c>PropertyType</c> values, stored in <c>TypeProperty.data_type</c>.</summary>
public enum PropertyKind
{
    /// <summary>No kind; never valid in a type's property schema.</summary>
    Unknown = 0,
    /// <summary>A 64-bit signed integer.</summary>
    Int = 1,
    /// <summary>A double-precision floating-point number, stored at full precision.</summary>
    Double = 2,
    /// <summary>A string.</summary>
    String = 3,
    /// <summary>A JSON-shaped structure (MLMD's <c>google.protobuf.Struct</c>).</summary>
    Struct = 4,
    /// <summary>A protocol buffer message packed as <c>google.protobuf.Any</c> (type URL and bytes).</summary>
    Proto = 5,
    /// <summary>A boolean.</summary>
    Boolean = 6,
}

/// <summary>The state of an artifact. The numbers are MLMD's <c>Artifact.State</c> values.</summary>
public enum ArtifactState
{
    /// <summary>The state is not known.</summary>
    Unknown = 0,
    /// <summary>The artifact may exist; it is being produced.</summary>
    Pending = 1,
    /// <summary>The artifact should exist.</summary>
    Live = 2,
    /// <summary>The artifact is to be deleted.</summary>
    MarkedForDeletion = 3,
    /// <summary>The artifact has been deleted.</summary>
    Deleted = 4,
    /// <summary>The artifact was never produced because its execution failed or was cancelled.</summary>
    Abandoned = 5,
    /// <summary>An intermediate reference artifact recorded when an execution starts.</summary>
    Reference = 6,
}

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

/// <summary>How an execution used an artifact. The numbers are MLMD's <c>Event.Type</c> values.</summary>
public enum EventType
{
    /// <summary>Not set; never valid when recording an event.</summary>
    Unknown = 0,
    /// <summary>An output declared in the execution's signature.</summary>
    DeclaredOutput = 1,
    /// <summary>An input declared in the execution's signature.</summary>
    DeclaredInput = 2,
    /// <summary>An artifact the execution actually read.</summary>
    Input = 3,
    /// <summary>An artifact the execution actually wrote.</summary>
    Output = 4,
    /// <summary>An input used only by the orchestrator.</summary>
    InternalInput = 5,
    /// <summary>An output used only by the orchestrator.</summary>
    InternalOutput = 6,
    /// <summary>An output tentatively associated with a running execution.</summary>
    PendingOutput = 7,
}

/// <summary>The system base type of an artifact type (MLMD's <c>ArtifactType.SystemDefinedBaseType</c>).</summary>
public enum ArtifactBaseType
{
    /// <summary>No base type. Passing it for a type that has one is refused: base types cannot be removed.</summary>
    Unset = 0,
    /// <summary><c>mlmd.Dataset</c>.</summary>
    Dataset = 1,
    /// <summary><c>mlmd.Model</c>.</summary>
    Model = 2,
    /// <summary><c>mlmd.Metrics</c>.</summary>
    Metrics = 3,
    /// <summary><c>mlmd.Statistics</c>.</summary>
    Statistics = 4,
}

/// <summary>The system base type of an execution type (MLMD's <c>ExecutionType.SystemDefinedBaseType</c>).</summary>
public enum ExecutionBaseType
{
    /// <summary>No base type. Passing it for a type that has one is refused: base types cannot be removed.</summary>
    Unset = 0,
    /// <summary><c>mlmd.Train</c>.</summary>
    Train = 1,
    /// <summary><c>mlmd.Transform</c>.</summary>
    Transform = 2,
    /// <summary><c>mlmd.Process</c>.</summary>
    Process = 3,
    /// <summary><c>mlmd.Evaluate</c>.</summary>
    Evaluate = 4,
    /// <summary><c>mlmd.Deploy</c>.</summary>
    Deploy = 5,
}

/// <summary>The field a listing is ordered by; the node id always breaks ties.</summary>
public enum OrderBy
{
    /// <summary>The node id (the default).</summary>
    Id = 0,
    /// <summary>The creation time.</summary>
    CreateTime = 1,
    /// <summary>The last update time.</summary>
    LastUpdateTime = 2,
}

/// <summary>What opening a store may do to the database's schema.</summary>
public enum SchemaMode
{
    /// <summary>Create the schema in an empty database; verify it otherwise. An older MLMD schema is refused.</summary>
    CreateOrVerify = 0,
    /// <summary>
    /// As <see cref="CreateOrVerify"/>, and upgrade an older MLMD schema (6 to 9, written by MLMD 0.25 to 1.10) in place to
    /// version 10, in one transaction. Afterwards only MLMD 1.11 and later can open the database.
    /// </summary>
    CreateOrUpgrade = 1,
    /// <summary>Verify only: never write to the database while opening.</summary>
    VerifyOnly = 2,
}
