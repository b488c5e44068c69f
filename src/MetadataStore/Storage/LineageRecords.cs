using System.Diagnostics.CodeAnalysis;
using MetadataStore.Query;

namespace MetadataStore.Storage;

/// <summary>A lineage traversal in the storage's terms: where it starts, how far and which way it goes, where it stops.</summary>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public sealed record LineageTraversalQuery
{
    /// <summary>The kind of the starting nodes (artifacts or executions).</summary>
    public required NodeKind StartKind { get; init; }

    /// <summary>The starting nodes as a filter on <see cref="StartKind"/>; or <see cref="StartId"/>.</summary>
    public FilterQuery? StartFilter { get; init; }

    /// <summary>The one starting node, by id; or <see cref="StartFilter"/>.</summary>
    public long? StartId { get; init; }

    /// <summary>How many hops to follow; null to follow until no new node is reached.</summary>
    public int? MaxHops { get; init; }

    /// <summary>Follow events from a node to what it came from.</summary>
    public bool Upstream { get; init; }

    /// <summary>Follow events from a node to what it reached.</summary>
    public bool Downstream { get; init; }

    /// <summary>Artifacts matching this are reached but not expanded.</summary>
    public FilterQuery? EndArtifacts { get; init; }

    /// <summary>Executions matching this are reached but not expanded.</summary>
    public FilterQuery? EndExecutions { get; init; }

    /// <summary>Drop the nodes that matched an ending filter (and so the events reaching them).</summary>
    public bool DropEndNodes { get; init; }

    /// <summary>Read the crossed events with their paths.</summary>
    public bool ReadEvents { get; init; }

    /// <summary>Read the attributions and associations of the nodes kept.</summary>
    public bool ReadContextEdges { get; init; }

    /// <summary>Read the rows and properties of the artifacts and executions kept.</summary>
    public bool ReadNodes { get; init; }

    /// <summary>Read the rows and properties of the contexts of the nodes kept.</summary>
    public bool ReadContexts { get; init; }
}

/// <summary>A node a traversal reached, the hop at which it first did, and whether it matched an ending filter.</summary>
/// <param name="Kind">The node's kind.</param>
/// <param name="Id">The node's id.</param>
/// <param name="Hop">The hop at which it was first reached, 0 for a starting node.</param>
/// <param name="IsEnd">Whether it matched an ending filter (and so was not expanded).</param>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public readonly record struct LineageVisit(NodeKind Kind, long Id, int Hop, bool IsEnd);

/// <summary>What a traversal read; lists not asked for are empty.</summary>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public sealed record LineageRecords
{
    /// <summary>The nodes kept, by hop, kind and id.</summary>
    public IReadOnlyList<LineageVisit> Visits { get; init; } = [];

    /// <summary>The events crossed, by id, with their paths.</summary>
    public IReadOnlyList<EventRecord> Events { get; init; } = [];

    /// <summary>(context, artifact) pairs of the artifacts kept.</summary>
    public IReadOnlyList<Attribution> Attributions { get; init; } = [];

    /// <summary>(context, execution) pairs of the executions kept.</summary>
    public IReadOnlyList<Association> Associations { get; init; } = [];

    /// <summary>Node rows by kind (indexed by <see cref="NodeKind"/>: artifact, execution, context), each by id.</summary>
    public IReadOnlyList<IReadOnlyList<NodeRecord>> Nodes { get; init; } = [[], [], []];

    /// <summary>Property rows by kind (indexed by <see cref="NodeKind"/>).</summary>
    public IReadOnlyList<IReadOnlyList<PropertyRecord>> Properties { get; init; } = [[], [], []];
}
