namespace MetadataStore;

/// <summary>The two kinds of node a lineage graph connects by events.</summary>
public enum LineageNodeKind
{
    /// <summary>An artifact.</summary>
    Artifact = 0,
    /// <summary>An execution.</summary>
    Execution = 1,
}
