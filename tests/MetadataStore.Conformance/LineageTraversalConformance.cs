using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>
/// Every traversal, in every direction and at every hop limit, on generated graphs of thousands of nodes (diamonds,
/// shared inputs, a long chain, nodes in several contexts, cycles), equals a plain in-memory breadth-first search.
/// </summary>
public abstract class LineageTraversalConformance(IStoreFactory factory) : IDisposable
{
    private static readonly LineageDirection[] Directions = [LineageDirection.Downstream, LineageDirection.Upstream, LineageDirection.Both];
    private static readonly int?[] HopLimits = [0, 1, 2, 3, 4, 7, 12, 40, null];

    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    private static void ShouldMatch(LineageGraph graph, LineageBfs.Result expected, string because, bool contexts = true)
    {
        // Sorted lists compared in order: an unordered equivalence check is quadratic on thousands of items.
        Sorted(graph.Hops).Should().Equal(Sorted(expected.Hops), because);
        var events = graph.Events.Select(e => (e.ArtifactId!.Value, e.ExecutionId!.Value, e.Type)).ToList();
        events.Should().OnlyHaveUniqueItems(because);
        events.Order().Should().Equal(expected.Events.Order(), because);
        if (contexts)
        {
            graph.Attributions.Select(a => (a.ContextId, a.ArtifactId)).Order().Should().Equal(expected.Attributions.Select(a => (a.ContextId, a.ArtifactId)).Order(), because);
            graph.Associations.Select(a => (a.ContextId, a.ExecutionId)).Order().Should().Equal(expected.Associations.Select(a => (a.ContextId, a.ExecutionId)).Order(), because);
        }
    }

    private static List<(LineageNodeKind, long, int)> Sorted(IReadOnlyDictionary<LineageNodeId, int> hops) =>
        hops.Select(h => (h.Key.Kind, h.Key.Id, h.Value)).Order().ToList();

    /// <summary>Subgraph queries equal a breadth first search in every direction and hop limit.</summary>
    [Fact]
    public async Task Subgraph_queries_equal_a_breadth_first_search_in_every_direction_and_hop_limit()
    {
        await using var store = await factory.OpenEmptyAsync();
        var generated = await GeneratedLineage.CreateAsync(store);
        var bfs = new LineageBfs(generated);
        (generated.Artifacts.Count + generated.Executions.Count).Should().BeGreaterThan(2000);

        foreach (var start in generated.Starts)
        {
            foreach (var direction in Directions)
            {
                foreach (var hops in HopLimits)
                {
                    var because = $"from {start}, {direction}, {hops?.ToString() ?? "unset"} hops";
                    var query = new LineageSubgraphQuery
                    {
                        StartArtifacts = start.IsArtifact ? $"id = {start.Id}" : null,
                        StartExecutions = start.IsArtifact ? null : $"id = {start.Id}",
                        Direction = direction,
                        MaxHops = hops,
                        IdsOnly = true,
                    };
                    var graph = await store.GetLineageSubgraphAsync(query);
                    ShouldMatch(graph, bfs.Run([start], direction, hops ?? LineageSubgraphQuery.MaxHopsLimit, _ => false, dropEnds: false), because);
                    graph.Artifacts.Select(a => a.Id!.Value).Should().Equal(graph.Nodes.Where(n => n.IsArtifact).Select(n => n.Id), because);
                }
            }
        }
    }

    /// <summary>Subgraph queries with ending nodes and several starting nodes equal a breadth first search.</summary>
    [Fact]
    public async Task Subgraph_queries_with_ending_nodes_and_several_starting_nodes_equal_a_breadth_first_search()
    {
        await using var store = await factory.OpenEmptyAsync();
        var generated = await GeneratedLineage.CreateAsync(store, seed: 11);
        var bfs = new LineageBfs(generated);
        var sources = generated.Artifacts.Take(30).Select(LineageNodeId.Artifact).ToList();

        foreach (var direction in Directions)
        {
            foreach (var hops in new int?[] { 1, 3, 9, null })
            {
                foreach (var include in new[] { false, true })
                {
                    var because = $"from the sources, {direction}, {hops?.ToString() ?? "unset"} hops, ending nodes {(include ? "included" : "dropped")}";
                    var graph = await store.GetLineageSubgraphAsync(new LineageSubgraphQuery
                    {
                        StartArtifacts = $"name LIKE '{generated.SourcePrefix}-%'",
                        Direction = direction,
                        MaxHops = hops,
                        EndArtifacts = "custom_properties.stop.bool_value = true",
                        EndExecutions = "custom_properties.stop.bool_value = true",
                        IncludeEndingNodes = include,
                        IdsOnly = true,
                    });
                    ShouldMatch(graph, bfs.Run(sources, direction, hops ?? LineageSubgraphQuery.MaxHopsLimit, generated.Stops.Contains, dropEnds: !include), because);
                }
            }
        }
    }

    /// <summary>Provenance impact and lineage without a hop limit equal a breadth first search.</summary>
    [Fact]
    public async Task Provenance_impact_and_lineage_without_a_hop_limit_equal_a_breadth_first_search()
    {
        await using var store = await factory.OpenEmptyAsync();
        var generated = await GeneratedLineage.CreateAsync(store, seed: 5);
        var bfs = new LineageBfs(generated);

        foreach (var start in generated.Starts)
        {
            ShouldMatch(await store.GetProvenanceAsync(start, new LineageOptions { IdsOnly = true }), bfs.Run([start], LineageDirection.Upstream, null, _ => false, false), $"provenance of {start}");
            ShouldMatch(await store.GetImpactAsync(start, new LineageOptions { IdsOnly = true }), bfs.Run([start], LineageDirection.Downstream, null, _ => false, false), $"impact of {start}");
            foreach (var hops in new int?[] { 2, 5, null })
            {
                var options = new LineageOptions { MaxHops = hops, StopAtExecutions = "custom_properties.stop.bool_value = true", IncludeStopNodes = hops != 5, IdsOnly = true };
                var expected = bfs.Run([start], LineageDirection.Both, hops, n => !n.IsArtifact && generated.Stops.Contains(n), dropEnds: hops == 5);
                ShouldMatch(await store.GetLineageAsync(start, LineageDirection.Both, options), expected, $"lineage of {start} with stops, {hops} hops");
            }
        }

        // The chain is longer than a subgraph query may go; provenance has no such limit.
        var tail = generated.Starts[1];
        (await store.GetProvenanceAsync(tail, new LineageOptions { IdsOnly = true })).Hops.Values.Max().Should().BeGreaterThan(LineageSubgraphQuery.MaxHopsLimit);
    }

    /// <summary>Hydrated results hold the same graph as ids only with stored nodes.</summary>
    [Fact]
    public async Task Hydrated_results_hold_the_same_graph_as_ids_only_with_stored_nodes()
    {
        await using var store = await factory.OpenEmptyAsync();
        var generated = await GeneratedLineage.CreateAsync(store, seed: 3, layers: 300);
        var start = generated.Starts[2];

        var ids = await store.GetImpactAsync(start, new LineageOptions { IdsOnly = true });
        var hydrated = await store.GetImpactAsync(start);

        Sorted(hydrated.Hops).Should().Equal(Sorted(ids.Hops));
        hydrated.Events.Select(e => (e.ArtifactId, e.ExecutionId, e.Type)).Should().Equal(ids.Events.Select(e => (e.ArtifactId, e.ExecutionId, e.Type)));
        var stored = await store.GetArtifactsByIdAsync(ids.Artifacts.Select(a => a.Id!.Value).ToList());
        hydrated.Artifacts.Should().BeEquivalentTo(stored, o => o.ComparingRecordsByMembers().WithStrictOrdering());
        var storedExecutions = await store.GetExecutionsByIdAsync(ids.Executions.Select(a => a.Id!.Value).ToList());
        hydrated.Executions.Should().BeEquivalentTo(storedExecutions, o => o.ComparingRecordsByMembers().WithStrictOrdering());
        var contextIds = hydrated.Attributions.Select(a => a.ContextId).Concat(hydrated.Associations.Select(a => a.ContextId)).Distinct().Order().ToList();
        hydrated.Contexts.Select(c => c.Id!.Value).Should().Equal(contextIds);
        hydrated.Contexts.Should().AllSatisfy(c => c.Name.Should().NotBeNullOrEmpty());
        hydrated.ArtifactTypes.Should().ContainSingle();
        hydrated.ExecutionTypes.Should().ContainSingle();
        hydrated.ContextTypes.Should().ContainSingle();
    }

    /// <summary>Paths between two nodes hold exactly the nodes on a path within the limit.</summary>
    [Fact]
    public async Task Paths_between_two_nodes_hold_exactly_the_nodes_on_a_path_within_the_limit()
    {
        await using var store = await factory.OpenEmptyAsync();
        var generated = await GeneratedLineage.CreateAsync(store, seed: 9, layers: 300);
        var bfs = new LineageBfs(generated);
        var from = generated.Starts[0];

        foreach (var to in generated.Starts.Skip(1).Append(LineageNodeId.Artifact(generated.Artifacts[60])))
        {
            foreach (var hops in new int?[] { 4, 40, null })
            {
                var down = bfs.Run([from], LineageDirection.Downstream, hops, _ => false, false).Hops;
                var up = bfs.Run([to], LineageDirection.Upstream, hops, _ => false, false).Hops;
                var expected = down.Where(d => up.TryGetValue(d.Key, out var r) && d.Value + r <= (hops ?? int.MaxValue)).ToDictionary();

                var graph = await store.GetLineagePathsAsync(from, to, new LineageOptions { MaxHops = hops, IdsOnly = true });

                Sorted(graph.Hops).Should().Equal(Sorted(expected), $"paths from {from} to {to} within {hops} hops");
                foreach (var e in graph.Events)
                {
                    var (source, target) = e.Type is EventType.Input or EventType.DeclaredInput or EventType.InternalInput
                        ? (LineageNodeId.Artifact(e.ArtifactId!.Value), LineageNodeId.Execution(e.ExecutionId!.Value))
                        : (LineageNodeId.Execution(e.ExecutionId!.Value), LineageNodeId.Artifact(e.ArtifactId!.Value));
                    (down[source] + 1 + up[target]).Should().BeLessThanOrEqualTo(hops ?? int.MaxValue);
                }

                if (expected.Count > 0)
                {
                    graph.HopOf(from).Should().Be(0);
                    graph.Contains(to).Should().BeTrue();
                }
            }
        }
    }

    /// <summary>Streaming a closure yields every node once by hop.</summary>
    [Fact]
    public async Task Streaming_a_closure_yields_every_node_once_by_hop()
    {
        await using var store = await factory.OpenEmptyAsync();
        var generated = await GeneratedLineage.CreateAsync(store, seed: 13, layers: 300);
        var bfs = new LineageBfs(generated);
        var start = generated.Starts[3];

        var streamed = new List<LineageNode>();
        await foreach (var node in store.EnumerateLineageAsync(start, LineageDirection.Downstream))
        {
            streamed.Add(node);
        }

        Sorted(streamed.ToDictionary(n => n.Id, n => n.Hop)).Should().Equal(Sorted(bfs.Run([start], LineageDirection.Downstream, null, _ => false, false).Hops));
        streamed.Select(n => n.Hop).Should().BeInAscendingOrder();
        streamed.Should().AllSatisfy(n => n.Node!.Id.Should().Be(n.Id.Id));
        streamed.Where(n => n.Id.IsArtifact).Should().AllSatisfy(n => n.Artifact.Should().NotBeNull());
    }

    /// <summary>Closure calls on a missing node are NotFound and bad options InvalidArgument.</summary>
    [Fact]
    public async Task Closure_calls_on_a_missing_node_are_NotFound_and_bad_options_InvalidArgument()
    {
        await using var store = await factory.OpenEmptyAsync();

        await ((Func<Task>)(() => store.GetProvenanceAsync(LineageNodeId.Artifact(424242)))).ShouldFailWith(MetadataErrorCode.NotFound);
        await ((Func<Task>)(() => store.GetImpactAsync(LineageNodeId.Execution(424242)))).ShouldFailWith(MetadataErrorCode.NotFound);
        await ((Func<Task>)(() => store.GetLineagePathsAsync(LineageNodeId.Artifact(1), LineageNodeId.Artifact(2)))).ShouldFailWith(MetadataErrorCode.NotFound);
        await ((Func<Task>)(() => store.GetImpactAsync(LineageNodeId.Artifact(1), new LineageOptions { MaxHops = -1 }))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await ((Func<Task>)(() => store.GetImpactAsync(LineageNodeId.Artifact(1), new LineageOptions { StopAtArtifacts = "uri ==" }))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await ((Func<Task>)(() => store.GetLineageAsync(LineageNodeId.Artifact(1), (LineageDirection)9))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
    }
}
