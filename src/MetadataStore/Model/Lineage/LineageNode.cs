namespace MetadataStore;

/// <summary>One node of a streamed lineage closure, with the hop at which the traversal first reached it.</summary>
/// <param name="Id">The node's kind and id.</param>
/// <param name="Hop">The number of hops from the starting node (0 for the starting node).</param>
/// <param name="Node">The hydrated <see cref="MetadataStore.Artifact"/> or <see cref="MetadataStore.Execution"/>; <see langword="null"/> when only ids were asked for.</param>
public sealed record LineageNode(LineageNodeId Id, int Hop, MetadataNode? Node)
{
    /// <summary>The node as an artifact, or <see langword="null"/>.</summary>
    public Artifact? Artifact => Node as Artifact;

    /// <summary>The node as an execution, or <see langword="null"/>.</summary>
    public Execution? Execution => Node as Execution;
}
