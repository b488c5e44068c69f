namespace MetadataStore;

/// <summary>
/// MLMD's lineage subgraph query (<c>LineageSubgraphQueryOptions</c> and <c>read_mask</c>): the starting artifacts or
/// executions chosen by a filter query, how many hops to follow and in which direction, the nodes to stop at, and
/// which parts to return. See <see cref="IMetadataStore.GetLineageSubgraphAsync"/>.
/// </summary>
public sealed record LineageSubgraphQuery
{
    /// <summary>The largest number of hops a subgraph query follows; more, or none given, means this many (MLMD's rule).</summary>
    public const int MaxHopsLimit = 100;

    /// <summary>A filter query choosing the starting artifacts. Exactly one of this and <see cref="StartExecutions"/> is given.</summary>
    public string? StartArtifacts { get; init; }

    /// <summary>A filter query choosing the starting executions. Exactly one of this and <see cref="StartArtifacts"/> is given.</summary>
    public string? StartExecutions { get; init; }

    /// <summary>
    /// How many hops to follow (a hop goes from a node over one event to the next node); 0 returns the starting nodes
    /// alone. <see langword="null"/> or more than <see cref="MaxHopsLimit"/> means <see cref="MaxHopsLimit"/>.
    /// </summary>
    public int? MaxHops { get; init; }

    /// <summary>Which way to follow events; <see cref="LineageDirection.Both"/> by default.</summary>
    public LineageDirection Direction { get; init; }

    /// <summary>A filter query on artifacts at which the traversal stops: they are not expanded further.</summary>
    public string? EndArtifacts { get; init; }

    /// <summary>A filter query on executions at which the traversal stops: they are not expanded further.</summary>
    public string? EndExecutions { get; init; }

    /// <summary>
    /// Return the ending nodes with the events that reach them. When <see langword="false"/> (MLMD's default) they
    /// are dropped with their events, a starting node that is an ending node too.
    /// </summary>
    public bool IncludeEndingNodes { get; init; }

    /// <summary>The parts of the graph to return; <see cref="LineageReadMask.All"/> by default.</summary>
    public LineageReadMask ReadMask { get; init; } = LineageReadMask.All;

    /// <summary>
    /// Return nodes carrying only their ids, as MLMD does, and no types. By default nodes come hydrated: with their
    /// types' names, attributes and properties.
    /// </summary>
    public bool IdsOnly { get; init; }
}
