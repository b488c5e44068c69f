namespace MetadataStore;

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
