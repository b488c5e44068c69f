namespace MetadataStore.Conformance;

/// <summary>A plain in-memory breadth-first search over a generated graph's events: what every traversal must return.</summary>
public sealed class LineageBfs
{
    private readonly GeneratedLineage _graph;
    private readonly Dictionary<LineageNodeId, List<LineageNodeId>> _successors = [];
    private readonly Dictionary<LineageNodeId, List<LineageNodeId>> _predecessors = [];

    /// <summary>Builds the adjacency from the generated events.</summary>
    public LineageBfs(GeneratedLineage graph)
    {
        _graph = graph;
        foreach (var (a, e, type) in graph.Events)
        {
            var (from, to) = IsInput(type) ? (LineageNodeId.Artifact(a), LineageNodeId.Execution(e)) : (LineageNodeId.Execution(e), LineageNodeId.Artifact(a));
            Add(_successors, from, to);
            Add(_predecessors, to, from);
        }
    }

    /// <summary>The expected result of a traversal: hops of the kept nodes, crossed events, and context edges of the kept nodes.</summary>
    public sealed record Result(
        IReadOnlyDictionary<LineageNodeId, int> Hops,
        IReadOnlySet<(long Artifact, long Execution, EventType Type)> Events,
        IReadOnlySet<Attribution> Attributions,
        IReadOnlySet<Association> Associations);

    /// <summary>Runs the search.</summary>
    public Result Run(IEnumerable<LineageNodeId> starts, LineageDirection direction, int? maxHops, Func<LineageNodeId, bool> isEnd, bool dropEnds)
    {
        var hops = new Dictionary<LineageNodeId, int>();
        var frontier = new List<LineageNodeId>();
        foreach (var start in starts)
        {
            if (hops.TryAdd(start, 0))
            {
                frontier.Add(start);
            }
        }

        for (var hop = 0; frontier.Count > 0 && (maxHops is null || hop < maxHops); hop++)
        {
            var next = new List<LineageNodeId>();
            foreach (var node in frontier)
            {
                if (isEnd(node))
                {
                    continue;
                }

                foreach (var neighbour in Neighbours(node, direction))
                {
                    if (hops.TryAdd(neighbour, hop + 1))
                    {
                        next.Add(neighbour);
                    }
                }
            }

            frontier = next;
        }

        if (dropEnds)
        {
            foreach (var node in hops.Keys.Where(isEnd).ToList())
            {
                hops.Remove(node);
            }
        }

        bool Expanded(LineageNodeId node) => hops.TryGetValue(node, out var h) && !isEnd(node) && (maxHops is null || h < maxHops);
        var events = new HashSet<(long, long, EventType)>();
        foreach (var (a, e, type) in _graph.Events)
        {
            var artifact = LineageNodeId.Artifact(a);
            var execution = LineageNodeId.Execution(e);
            if (!hops.ContainsKey(artifact) || !hops.ContainsKey(execution))
            {
                continue;
            }

            // Downstream an artifact leaves by its input events and an execution by its output events.
            var fromArtifact = direction == LineageDirection.Both || (direction == LineageDirection.Downstream) == IsInput(type);
            var fromExecution = direction == LineageDirection.Both || (direction == LineageDirection.Downstream) != IsInput(type);
            if ((fromArtifact && Expanded(artifact)) || (fromExecution && Expanded(execution)))
            {
                events.Add((a, e, type));
            }
        }

        return new Result(
            hops,
            events,
            _graph.Attributions.Where(x => hops.ContainsKey(LineageNodeId.Artifact(x.ArtifactId))).ToHashSet(),
            _graph.Associations.Where(x => hops.ContainsKey(LineageNodeId.Execution(x.ExecutionId))).ToHashSet());
    }

    private IEnumerable<LineageNodeId> Neighbours(LineageNodeId node, LineageDirection direction)
    {
        IEnumerable<LineageNodeId> result = [];
        if (direction != LineageDirection.Upstream && _successors.TryGetValue(node, out var s))
        {
            result = result.Concat(s);
        }

        if (direction != LineageDirection.Downstream && _predecessors.TryGetValue(node, out var p))
        {
            result = result.Concat(p);
        }

        return result;
    }

    private static bool IsInput(EventType type) => type is EventType.Input or EventType.DeclaredInput or EventType.InternalInput;

    private static void Add(Dictionary<LineageNodeId, List<LineageNodeId>> map, LineageNodeId key, LineageNodeId value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }
}
