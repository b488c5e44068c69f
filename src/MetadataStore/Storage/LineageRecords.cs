using MetadataStore.Query;

namespace MetadataStore.Storage;

/// <summary>A lineage traversal in the storage's terms: where it starts, how far and which way it goes, where it stops.</summary>
internal sealed record LineageTraversalQuery
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
internal readonly record struct LineageVisit(NodeKind Kind, long Id, int Hop, bool IsEnd);

/// <summary>What a traversal read; lists not asked for stay empty.</summary>
internal sealed class LineageRecords
{
    /// <summary>The nodes kept, by hop, kind and id.</summary>
    public List<LineageVisit> Visits { get; } = [];

    /// <summary>The events crossed, by id, with their paths.</summary>
    public List<EventRecord> Events { get; } = [];

    /// <summary>(context, artifact) pairs of the artifacts kept.</summary>
    public List<Attribution> Attributions { get; } = [];

    /// <summary>(context, execution) pairs of the executions kept.</summary>
    public List<Association> Associations { get; } = [];

    /// <summary>Node rows by kind (artifact, execution, context), each by id.</summary>
    public List<NodeRecord>[] Nodes { get; } = [[], [], []];

    /// <summary>Property rows by kind (artifact, execution, context).</summary>
    public List<PropertyRecord>[] Properties { get; } = [[], [], []];
}
