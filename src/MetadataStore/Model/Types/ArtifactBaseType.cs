namespace MetadataStore;

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
