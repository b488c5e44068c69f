namespace MetadataStore;

/// <summary>The three kinds of node, one table each in MLMD's layout.</summary>
public enum NodeKind
{
    /// <summary>An artifact (<c>Artifact</c>).</summary>
    Artifact,

    /// <summary>An execution (<c>Execution</c>).</summary>
    Execution,

    /// <summary>A context (<c>Context</c>).</summary>
    Context,
}
