using System.Runtime.CompilerServices;
using MetadataStore.Query;
using MetadataStore.Storage;

namespace MetadataStore.Semantics;

/// <summary>Lineage: MLMD's lineage subgraph and the provenance, impact, path and streaming calls built on the same traversal.</summary>
internal sealed partial class MetadataStoreEngine
{
    // Nodes a streamed closure hydrates per read.
    private const int StreamBatchSize = 512;

    /// <summary>The storage backend, for diagnostics in tests.</summary>
    internal IStorageBackend Backend => _backend;

    public Task<LineageGraph> GetLineageSubgraphAsync(LineageSubgraphQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Guarded("GetLineageSubgraph", () => StartLineageSubgraph(query, cancellationToken));
    }

    private Task<LineageGraph> StartLineageSubgraph(LineageSubgraphQuery query, CancellationToken cancellationToken)
    {
        var hasArtifacts = query.StartArtifacts is not null;
        var hasExecutions = query.StartExecutions is not null;
        if (hasArtifacts == hasExecutions)
        {
            throw Errors.InvalidArgument(hasArtifacts
                ? "Give the starting nodes as artifacts or as executions, not both."
                : "The query has no starting nodes: give StartArtifacts or StartExecutions.");
        }

        var startKind = hasArtifacts ? NodeKind.Artifact : NodeKind.Execution;
        var startText = hasArtifacts ? query.StartArtifacts! : query.StartExecutions!;
        if (string.IsNullOrWhiteSpace(startText))
        {
            throw Errors.InvalidArgument("Cannot list starting nodes if the filter query is unspecified: the starting filter is empty.");
        }

        if (query.MaxHops < 0)
        {
            throw Errors.InvalidArgument($"The maximum number of hops must not be negative; it is {query.MaxHops}.");
        }

        RequireDirection(query.Direction);
        if (query.ReadMask == LineageReadMask.None || (query.ReadMask & ~LineageReadMask.All) != 0)
        {
            throw Errors.InvalidArgument($"The read mask must name at least one part of the graph and no unknown part; it is {(int)query.ReadMask}.");
        }

        var traversal = new LineageTraversalQuery
        {
            StartKind = startKind,
            StartFilter = FilterQuery.Compile(startText, startKind),
            MaxHops = Math.Min(query.MaxHops ?? LineageSubgraphQuery.MaxHopsLimit, LineageSubgraphQuery.MaxHopsLimit),
            Upstream = query.Direction != LineageDirection.Downstream,
            Downstream = query.Direction != LineageDirection.Upstream,
            EndArtifacts = CompileFilter(NodeKind.Artifact, query.EndArtifacts),
            EndExecutions = CompileFilter(NodeKind.Execution, query.EndExecutions),
            DropEndNodes = !query.IncludeEndingNodes,
        };
        return ReadAsync("GetLineageSubgraph", (tx, ct) => TraverseAsync(tx, traversal, query.ReadMask, query.IdsOnly, ct), cancellationToken);
    }

    public Task<LineageGraph> GetProvenanceAsync(LineageNodeId node, LineageOptions? options = null, CancellationToken cancellationToken = default) =>
        GetClosureAsync("GetProvenance", node, LineageDirection.Upstream, options, cancellationToken);

    public Task<LineageGraph> GetImpactAsync(LineageNodeId node, LineageOptions? options = null, CancellationToken cancellationToken = default) =>
        GetClosureAsync("GetImpact", node, LineageDirection.Downstream, options, cancellationToken);

    public Task<LineageGraph> GetLineageAsync(LineageNodeId node, LineageDirection direction, LineageOptions? options = null, CancellationToken cancellationToken = default) =>
        GetClosureAsync("GetLineage", node, direction, options, cancellationToken);

    public Task<LineageGraph> GetLineagePathsAsync(LineageNodeId from, LineageNodeId to, LineageOptions? options = null, CancellationToken cancellationToken = default) =>
        Guarded("GetLineagePaths", () => StartPaths(from, to, options ?? LineageOptions.Default, cancellationToken));

    private Task<LineageGraph> StartPaths(LineageNodeId from, LineageNodeId to, LineageOptions options, CancellationToken cancellationToken)
    {
        var downstream = ClosureQuery(from, LineageDirection.Downstream, options);
        var upstream = ClosureQuery(to, LineageDirection.Upstream, options);
        return ReadAsync("GetLineagePaths", async (tx, ct) =>
        {
            var fromSide = await tx.TraverseLineageAsync(downstream, ct).ConfigureAwait(false);
            var toSide = await tx.TraverseLineageAsync(upstream, ct).ConfigureAwait(false);
            RequireFound(from, fromSide);
            RequireFound(to, toSide);
            return await PathsAsync(tx, fromSide, toSide, options, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    public async IAsyncEnumerable<LineageNode> EnumerateLineageAsync(LineageNodeId node, LineageDirection direction, LineageOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= LineageOptions.Default;
        var query = ClosureQuery(node, direction, options);
        var visits = await ReadAsync("EnumerateLineage", async (tx, ct) =>
        {
            var records = await tx.TraverseLineageAsync(query, ct).ConfigureAwait(false);
            RequireFound(node, records);
            return records.Visits.ToList();
        }, cancellationToken).ConfigureAwait(false);

        // The closure's ids are read in one transaction; nodes are hydrated a batch at a time, so memory holds one batch.
        for (var offset = 0; offset < visits.Count; offset += StreamBatchSize)
        {
            var batch = visits.GetRange(offset, Math.Min(StreamBatchSize, visits.Count - offset));
            Dictionary<LineageNodeId, MetadataNode>? loaded = null;
            if (!options.IdsOnly)
            {
                loaded = [];
                var artifactIds = batch.Where(v => v.Kind == NodeKind.Artifact).Select(v => v.Id).ToList();
                var executionIds = batch.Where(v => v.Kind == NodeKind.Execution).Select(v => v.Id).ToList();
                foreach (var a in await GetArtifactsByIdAsync(artifactIds, cancellationToken).ConfigureAwait(false))
                {
                    loaded[LineageNodeId.Artifact(a.Id!.Value)] = a;
                }

                foreach (var e in await GetExecutionsByIdAsync(executionIds, cancellationToken).ConfigureAwait(false))
                {
                    loaded[LineageNodeId.Execution(e.Id!.Value)] = e;
                }
            }

            foreach (var visit in batch)
            {
                var id = ToNodeId(visit);
                yield return new LineageNode(id, visit.Hop, loaded?.GetValueOrDefault(id));
            }
        }
    }

    private Task<LineageGraph> GetClosureAsync(string operation, LineageNodeId node, LineageDirection direction, LineageOptions? options, CancellationToken cancellationToken) =>
        Guarded(operation, () => StartClosure(operation, node, direction, options ?? LineageOptions.Default, cancellationToken));

    private Task<LineageGraph> StartClosure(string operation, LineageNodeId node, LineageDirection direction, LineageOptions options, CancellationToken cancellationToken)
    {
        var query = ClosureQuery(node, direction, options);
        return ReadAsync(operation, async (tx, ct) =>
        {
            var graph = await TraverseAsync(tx, query, LineageReadMask.All, options.IdsOnly, ct).ConfigureAwait(false);
            if (graph.IsEmpty)
            {
                throw Errors.NotFound($"There is no {(node.IsArtifact ? "artifact" : "execution")} with id {node.Id}.");
            }

            return graph;
        }, cancellationToken);
    }

    /// <summary>Checks a closure call's arguments (InvalidArgument) and turns them into a traversal from one node.</summary>
    private static LineageTraversalQuery ClosureQuery(LineageNodeId node, LineageDirection direction, LineageOptions options)
    {
        if (!Enum.IsDefined(node.Kind))
        {
            throw Errors.InvalidArgument($"Unknown lineage node kind {(int)node.Kind}.");
        }

        RequireDirection(direction);
        if (options.MaxHops < 0)
        {
            throw Errors.InvalidArgument($"The maximum number of hops must not be negative; it is {options.MaxHops}.");
        }

        return new LineageTraversalQuery
        {
            StartKind = node.IsArtifact ? NodeKind.Artifact : NodeKind.Execution,
            StartId = node.Id,
            MaxHops = options.MaxHops,
            Upstream = direction != LineageDirection.Downstream,
            Downstream = direction != LineageDirection.Upstream,
            EndArtifacts = CompileFilter(NodeKind.Artifact, options.StopAtArtifacts),
            EndExecutions = CompileFilter(NodeKind.Execution, options.StopAtExecutions),
            DropEndNodes = !options.IncludeStopNodes,
        };
    }

    private static void RequireDirection(LineageDirection direction)
    {
        if (!Enum.IsDefined(direction))
        {
            throw Errors.InvalidArgument($"Unknown lineage direction {(int)direction}.");
        }
    }

    private static void RequireFound(LineageNodeId node, LineageRecords records)
    {
        if (records.Visits.Count == 0 || !records.Visits.Any(v => v.Hop == 0))
        {
            throw Errors.NotFound($"There is no {(node.IsArtifact ? "artifact" : "execution")} with id {node.Id}, or it is a stop node that is left out.");
        }
    }

    private static LineageNodeId ToNodeId(LineageVisit visit) =>
        new(visit.Kind == NodeKind.Artifact ? LineageNodeKind.Artifact : LineageNodeKind.Execution, visit.Id);

    /// <summary>Runs one traversal and builds the graph the read mask asks for.</summary>
    private static async ValueTask<LineageGraph> TraverseAsync(IStorageTransaction tx, LineageTraversalQuery query, LineageReadMask mask, bool idsOnly, CancellationToken ct)
    {
        bool Has(LineageReadMask part) => (mask & part) != 0;
        query = query with
        {
            ReadEvents = Has(LineageReadMask.Events),
            ReadContextEdges = Has(LineageReadMask.Attributions | LineageReadMask.Associations) || (idsOnly && Has(LineageReadMask.Contexts)),
            ReadNodes = !idsOnly && Has(LineageReadMask.Artifacts | LineageReadMask.Executions | LineageReadMask.ArtifactTypes | LineageReadMask.ExecutionTypes),
            ReadContexts = !idsOnly && Has(LineageReadMask.Contexts | LineageReadMask.ContextTypes),
        };
        var records = await tx.TraverseLineageAsync(query, ct).ConfigureAwait(false);
        if (records.Visits.Count == 0)
        {
            return LineageGraph.Empty;
        }

        var hops = new Dictionary<LineageNodeId, int>(records.Visits.Count);
        foreach (var visit in records.Visits)
        {
            hops[ToNodeId(visit)] = visit.Hop;
        }

        IReadOnlyList<Artifact> artifacts = [];
        IReadOnlyList<Execution> executions = [];
        IReadOnlyList<Context> contexts = [];
        IReadOnlyList<ArtifactType> artifactTypes = [];
        IReadOnlyList<ExecutionType> executionTypes = [];
        IReadOnlyList<ContextType> contextTypes = [];
        if (idsOnly)
        {
            if (Has(LineageReadMask.Artifacts))
            {
                artifacts = Ids(records.Visits, NodeKind.Artifact).Select(id => new Artifact { Id = id }).ToList();
            }

            if (Has(LineageReadMask.Executions))
            {
                executions = Ids(records.Visits, NodeKind.Execution).Select(id => new Execution { Id = id }).ToList();
            }

            if (Has(LineageReadMask.Contexts))
            {
                contexts = records.Attributions.Select(a => a.ContextId).Concat(records.Associations.Select(a => a.ContextId))
                    .Distinct().Order().Select(id => new Context { Id = id }).ToList();
            }
        }
        else
        {
            var artifactRows = Build<Artifact>(records, NodeKind.Artifact);
            var executionRows = Build<Execution>(records, NodeKind.Execution);
            var contextRows = Build<Context>(records, NodeKind.Context);
            artifacts = Has(LineageReadMask.Artifacts) ? artifactRows : [];
            executions = Has(LineageReadMask.Executions) ? executionRows : [];
            contexts = Has(LineageReadMask.Contexts) ? contextRows : [];
            if (Has(LineageReadMask.ArtifactTypes))
            {
                artifactTypes = await TypesAsync<ArtifactType>(tx, TypeKind.Artifact, records.Nodes[(int)NodeKind.Artifact], ct).ConfigureAwait(false);
            }

            if (Has(LineageReadMask.ExecutionTypes))
            {
                executionTypes = await TypesAsync<ExecutionType>(tx, TypeKind.Execution, records.Nodes[(int)NodeKind.Execution], ct).ConfigureAwait(false);
            }

            if (Has(LineageReadMask.ContextTypes))
            {
                contextTypes = await TypesAsync<ContextType>(tx, TypeKind.Context, records.Nodes[(int)NodeKind.Context], ct).ConfigureAwait(false);
            }
        }

        return new LineageGraph(
            hops,
            artifacts,
            executions,
            contexts,
            Has(LineageReadMask.Events) ? records.Events.Select(Mapping.ToModel).ToList() : [],
            Has(LineageReadMask.Attributions) ? records.Attributions : [],
            Has(LineageReadMask.Associations) ? records.Associations : [],
            artifactTypes,
            executionTypes,
            contextTypes);
    }

    /// <summary>The nodes on a path from the downstream closure's start to the upstream closure's start, within the hop limit.</summary>
    private static async ValueTask<LineageGraph> PathsAsync(IStorageTransaction tx, LineageRecords fromSide, LineageRecords toSide, LineageOptions options, CancellationToken ct)
    {
        var toHops = toSide.Visits.ToDictionary(ToNodeId, v => v.Hop);
        var limit = options.MaxHops ?? int.MaxValue;
        var hops = new Dictionary<LineageNodeId, int>();
        foreach (var visit in fromSide.Visits)
        {
            var id = ToNodeId(visit);
            if (toHops.TryGetValue(id, out var rest) && (long)visit.Hop + rest <= limit)
            {
                hops[id] = visit.Hop;
            }
        }

        if (hops.Count == 0)
        {
            return LineageGraph.Empty;
        }

        // An event lies on such a path when it carries data from a node at distance d from the start to one at
        // distance r from the end with d + 1 + r within the limit.
        var artifactIds = hops.Keys.Where(k => k.IsArtifact).Select(k => k.Id).ToList();
        var eventRecords = await tx.GetEventsAsync(byArtifact: true, artifactIds, ct).ConfigureAwait(false);
        var events = new List<Event>();
        foreach (var record in eventRecords)
        {
            var type = (EventType)record.Type;
            var artifact = LineageNodeId.Artifact(record.ArtifactId);
            var execution = LineageNodeId.Execution(record.ExecutionId);
            var (source, target) = LineageGraph.IsInput(type) ? (artifact, execution) : LineageGraph.IsOutput(type) ? (execution, artifact) : (default, default);
            if (source == target || !hops.TryGetValue(source, out var d) || !toHops.TryGetValue(target, out var r) || !hops.ContainsKey(target))
            {
                continue;
            }

            if ((long)d + 1 + r <= limit)
            {
                events.Add(Mapping.ToModel(record));
            }
        }

        IReadOnlyList<Artifact> artifacts;
        IReadOnlyList<Execution> executions;
        IReadOnlyList<ArtifactType> artifactTypes = [];
        IReadOnlyList<ExecutionType> executionTypes = [];
        var executionIds = hops.Keys.Where(k => !k.IsArtifact).Select(k => k.Id).Order().ToList();
        artifactIds.Sort();
        if (options.IdsOnly)
        {
            artifacts = artifactIds.Select(id => new Artifact { Id = id }).ToList();
            executions = executionIds.Select(id => new Execution { Id = id }).ToList();
        }
        else
        {
            var artifactRows = await tx.GetNodesAsync(NodeKind.Artifact, new NodeQuery.ByIds(artifactIds), ct).ConfigureAwait(false);
            var executionRows = await tx.GetNodesAsync(NodeKind.Execution, new NodeQuery.ByIds(executionIds), ct).ConfigureAwait(false);
            artifacts = await HydrateAsync<Artifact>(tx, NodeKind.Artifact, artifactRows, ct).ConfigureAwait(false);
            executions = await HydrateAsync<Execution>(tx, NodeKind.Execution, executionRows, ct).ConfigureAwait(false);
            artifactTypes = await TypesAsync<ArtifactType>(tx, TypeKind.Artifact, artifactRows, ct).ConfigureAwait(false);
            executionTypes = await TypesAsync<ExecutionType>(tx, TypeKind.Execution, executionRows, ct).ConfigureAwait(false);
        }

        return new LineageGraph(hops, artifacts, executions, [], events, [], [], artifactTypes, executionTypes, []);
    }

    private static IEnumerable<long> Ids(IReadOnlyList<LineageVisit> visits, NodeKind kind) =>
        visits.Where(v => v.Kind == kind).Select(v => v.Id).Order();

    private static T[] Build<T>(LineageRecords records, NodeKind kind)
        where T : MetadataNode
    {
        using var assembler = new NodeAssembler(kind);
        foreach (var p in records.Properties[(int)kind])
        {
            assembler.Add(p.NodeId, p.Name, p.IsCustom, p.Value);
        }

        return assembler.Build<T>(records.Nodes[(int)kind]);
    }

    private static async ValueTask<IReadOnlyList<T>> TypesAsync<T>(IStorageTransaction tx, TypeKind kind, IReadOnlyList<NodeRecord> rows, CancellationToken ct)
        where T : MetadataType
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var ids = rows.Select(r => r.TypeId).Distinct().ToList();
        var types = await tx.GetTypesAsync(kind, new TypeQuery.ByIds(ids), ct).ConfigureAwait(false);
        return types.Select(t => (T)Mapping.ToModel(t)).ToList();
    }
}
