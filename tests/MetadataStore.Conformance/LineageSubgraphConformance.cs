using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>MLMD's lineage subgraph: its worked example node for node, its error cases, ending nodes, read masks and hydration.</summary>
public abstract class LineageSubgraphConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    /// <summary>MLMD's example graph <c>a0→e0; a1→e1→a3; a2→e2→a4; (a3,a4)→e3→a5</c>, with URIs <c>uri://foo/aN</c>.</summary>
    private sealed record Example(long[] A, long[] E, string Prefix, long ContextId)
    {
        public string Name(long id, bool artifact) => (artifact ? "a" : "e") + Array.IndexOf(artifact ? A : E, id);
    }

    private static async Task<Example> SeedExampleAsync(IMetadataStore store)
    {
        var artifactType = await store.AddArtifactTypeAsync(("size", PropertyKind.Int));
        var executionType = await store.AddExecutionTypeAsync();
        var contextType = await store.AddContextTypeAsync();
        var prefix = Some.Name("uri://foo");
        var a = (await store.PutArtifactsAsync(Enumerable.Range(0, 6).Select(i => Artifact.Of(artifactType.Id!.Value, $"{prefix}/a{i}", $"a{i}").With("size", i * 10)).ToList())).ToArray();
        var e = (await store.PutExecutionsAsync(Enumerable.Range(0, 4).Select(i => Execution.Of(executionType.Id!.Value, ExecutionState.Complete, $"e{i}")).ToList())).ToArray();
        await store.PutEventsAsync(
        [
            Event.Of(EventType.Input, a[0], e[0]),
            Event.Of(EventType.Input, a[1], e[1]),
            Event.Of(EventType.Output, a[3], e[1]),
            Event.Of(EventType.Input, a[2], e[2]),
            Event.Of(EventType.Output, a[4], e[2]).WithPath("out", 0),
            Event.Of(EventType.Input, a[3], e[3]),
            Event.Of(EventType.Input, a[4], e[3]),
            Event.Of(EventType.Output, a[5], e[3]),
        ]);
        var context = await store.PutContextAsync(Context.Of(contextType.Id!.Value, Some.Name("run")));
        await store.PutAttributionsAndAssociationsAsync([new Attribution(context, a[4])], [new Association(context, e[3])]);
        return new Example(a, e, prefix, context);
    }

    private static (string[] Artifacts, string[] Executions, string[] Events) Describe(LineageGraph graph, Example x) =>
        (graph.Artifacts.Select(n => x.Name(n.Id!.Value, true)).Order().ToArray(),
         graph.Executions.Select(n => x.Name(n.Id!.Value, false)).Order().ToArray(),
         graph.Events.Select(ev => $"({x.Name(ev.ArtifactId!.Value, true)},{x.Name(ev.ExecutionId!.Value, false)})").Order().ToArray());

    // MLMD-REFERENCE.md 2.7, table of the worked example: starting at a4.
    /// <summary>GetLineageSubgraph reproduces MLMDs worked example.</summary>
    [Theory]
    [InlineData(0, LineageDirection.Both, "a4", "", "")]
    [InlineData(1, LineageDirection.Both, "a4", "e2 e3", "(a4,e2) (a4,e3)")]
    [InlineData(2, LineageDirection.Both, "a2 a3 a4 a5", "e2 e3", "(a2,e2) (a3,e3) (a4,e2) (a4,e3) (a5,e3)")]
    [InlineData(3, LineageDirection.Both, "a2 a3 a4 a5", "e1 e2 e3", "(a2,e2) (a3,e1) (a3,e3) (a4,e2) (a4,e3) (a5,e3)")]
    [InlineData(4, LineageDirection.Both, "a1 a2 a3 a4 a5", "e1 e2 e3", "(a1,e1) (a2,e2) (a3,e1) (a3,e3) (a4,e2) (a4,e3) (a5,e3)")]
    [InlineData(null, LineageDirection.Both, "a1 a2 a3 a4 a5", "e1 e2 e3", "(a1,e1) (a2,e2) (a3,e1) (a3,e3) (a4,e2) (a4,e3) (a5,e3)")]
    [InlineData(1, LineageDirection.Downstream, "a4", "e3", "(a4,e3)")]
    [InlineData(1, LineageDirection.Upstream, "a4", "e2", "(a4,e2)")]
    [InlineData(2, LineageDirection.Downstream, "a4 a5", "e3", "(a4,e3) (a5,e3)")]
    [InlineData(2, LineageDirection.Upstream, "a2 a4", "e2", "(a2,e2) (a4,e2)")]
    public async Task GetLineageSubgraph_reproduces_MLMDs_worked_example(int? hops, LineageDirection direction, string artifacts, string executions, string events)
    {
        await using var store = await factory.OpenEmptyAsync();
        var x = await SeedExampleAsync(store);

        foreach (var idsOnly in new[] { true, false })
        {
            var graph = await store.GetLineageSubgraphAsync(new LineageSubgraphQuery
            {
                StartArtifacts = $"uri = '{x.Prefix}/a4'",
                MaxHops = hops,
                Direction = direction,
                IdsOnly = idsOnly,
            });

            var (a, e, ev) = Describe(graph, x);
            a.Should().Equal(Split(artifacts));
            e.Should().Equal(Split(executions));
            ev.Should().Equal(Split(events));
            graph.HopOf(LineageNodeId.Artifact(x.A[4])).Should().Be(0);
        }
    }

    /// <summary>GetLineageSubgraph hydrates nodes with types properties contexts and hops.</summary>
    [Fact]
    public async Task GetLineageSubgraph_hydrates_nodes_with_types_properties_contexts_and_hops()
    {
        await using var store = await factory.OpenEmptyAsync();
        var x = await SeedExampleAsync(store);

        var graph = await store.GetLineageSubgraphAsync(new LineageSubgraphQuery { StartArtifacts = $"uri = '{x.Prefix}/a4'", MaxHops = 2 });

        var a5 = graph.GetArtifact(x.A[5])!;
        a5.Should().BeEquivalentTo(await store.GetArtifactAsync(x.A[5]), o => o.ComparingRecordsByMembers());
        a5.Properties["size"].IntValue.Should().Be(50);
        graph.GetExecution(x.E[3])!.Name.Should().Be("e3");
        graph.ArtifactTypes.Should().ContainSingle().Which.Properties.Should().ContainKey("size");
        graph.ExecutionTypes.Should().ContainSingle();
        graph.Contexts.Select(c => c.Id).Should().Equal(x.ContextId);
        graph.ContextTypes.Should().ContainSingle();
        graph.Attributions.Should().Equal(new Attribution(x.ContextId, x.A[4]));
        graph.Associations.Should().Equal(new Association(x.ContextId, x.E[3]));
        graph.Events.Single(e => e.ArtifactId == x.A[4] && e.ExecutionId == x.E[2]).Path.Should().Equal(EventStep.ForKey("out"), EventStep.ForIndex(0));
        graph.HopOf(LineageNodeId.Execution(x.E[2])).Should().Be(1);
        graph.HopOf(LineageNodeId.Artifact(x.A[5])).Should().Be(2);

        // The graph walks: a4 came from e2 and flows into e3; a2 is a root and a5 a leaf.
        graph.Inputs(LineageNodeId.Artifact(x.A[4])).Should().Equal(LineageNodeId.Execution(x.E[2]));
        graph.Outputs(LineageNodeId.Artifact(x.A[4])).Should().Equal(LineageNodeId.Execution(x.E[3]));
        graph.Roots.Should().Equal(LineageNodeId.Artifact(x.A[2]), LineageNodeId.Artifact(x.A[3]));
        graph.Leaves.Should().Equal(LineageNodeId.Artifact(x.A[5]));
    }

    /// <summary>GetLineageSubgraph with ids only returns bare nodes and no types.</summary>
    [Fact]
    public async Task GetLineageSubgraph_with_ids_only_returns_bare_nodes_and_no_types()
    {
        await using var store = await factory.OpenEmptyAsync();
        var x = await SeedExampleAsync(store);

        var graph = await store.GetLineageSubgraphAsync(new LineageSubgraphQuery { StartArtifacts = $"uri = '{x.Prefix}/a4'", MaxHops = 1, IdsOnly = true });

        graph.Artifacts.Should().ContainSingle().Which.Should().Be(new Artifact { Id = x.A[4] });
        graph.Executions.Select(e => e.TypeName).Should().AllSatisfy(n => n.Should().BeNull());
        graph.ArtifactTypes.Should().BeEmpty();
        graph.Contexts.Select(c => c.Id).Should().Equal(x.ContextId);
    }

    /// <summary>GetLineageSubgraph returns only the parts the read mask names.</summary>
    [Fact]
    public async Task GetLineageSubgraph_returns_only_the_parts_the_read_mask_names()
    {
        await using var store = await factory.OpenEmptyAsync();
        var x = await SeedExampleAsync(store);

        var graph = await store.GetLineageSubgraphAsync(new LineageSubgraphQuery
        {
            StartArtifacts = $"uri = '{x.Prefix}/a4'",
            MaxHops = 1,
            ReadMask = LineageReadMask.Executions | LineageReadMask.Events,
        });

        graph.Artifacts.Should().BeEmpty();
        graph.Executions.Should().HaveCount(2);
        graph.Events.Should().HaveCount(2);
        graph.Contexts.Should().BeEmpty();
        graph.Associations.Should().BeEmpty();
        graph.ArtifactTypes.Should().BeEmpty();
        graph.ExecutionTypes.Should().BeEmpty();
        graph.Nodes.Should().HaveCount(3, "the traversal is the same whatever the mask returns");
    }

    /// <summary>GetLineageSubgraph starts from executions.</summary>
    [Fact]
    public async Task GetLineageSubgraph_starts_from_executions()
    {
        await using var store = await factory.OpenEmptyAsync();
        var x = await SeedExampleAsync(store);

        var graph = await store.GetLineageSubgraphAsync(new LineageSubgraphQuery { StartExecutions = $"id = {x.E[1]}", Direction = LineageDirection.Downstream });

        Describe(graph, x).Should().BeEquivalentTo((new[] { "a3", "a5" }, new[] { "e1", "e3" }, new[] { "(a3,e1)", "(a3,e3)", "(a5,e3)" }));
    }

    /// <summary>Ending nodes are not expanded and are dropped unless included.</summary>
    [Fact]
    public async Task Ending_nodes_are_not_expanded_and_are_dropped_unless_included()
    {
        await using var store = await factory.OpenEmptyAsync();
        var x = await SeedExampleAsync(store);
        var query = new LineageSubgraphQuery { StartArtifacts = $"uri = '{x.Prefix}/a4'", EndExecutions = "name = 'e3'" };

        var excluded = await store.GetLineageSubgraphAsync(query);
        var included = await store.GetLineageSubgraphAsync(query with { IncludeEndingNodes = true });

        Describe(excluded, x).Should().BeEquivalentTo((new[] { "a2", "a4" }, new[] { "e2" }, new[] { "(a2,e2)", "(a4,e2)" }));
        Describe(included, x).Should().BeEquivalentTo((new[] { "a2", "a4" }, new[] { "e2", "e3" }, new[] { "(a2,e2)", "(a4,e2)", "(a4,e3)" }));
        included.Associations.Should().Equal(new Association(x.ContextId, x.E[3]));
        excluded.Associations.Should().BeEmpty();
    }

    /// <summary>A starting node that is an ending node is dropped so the graph can be empty.</summary>
    [Fact]
    public async Task A_starting_node_that_is_an_ending_node_is_dropped_so_the_graph_can_be_empty()
    {
        await using var store = await factory.OpenEmptyAsync();
        var x = await SeedExampleAsync(store);

        var graph = await store.GetLineageSubgraphAsync(new LineageSubgraphQuery { StartArtifacts = $"uri = '{x.Prefix}/a4'", EndArtifacts = "name = 'a4'" });
        var kept = await store.GetLineageSubgraphAsync(new LineageSubgraphQuery { StartArtifacts = $"uri = '{x.Prefix}/a4'", EndArtifacts = "name = 'a4'", IncludeEndingNodes = true });

        graph.IsEmpty.Should().BeTrue();
        graph.Artifacts.Should().BeEmpty();
        Describe(kept, x).Should().BeEquivalentTo((new[] { "a4" }, Array.Empty<string>(), Array.Empty<string>()));
    }

    /// <summary>A starting filter that matches nothing gives an empty graph.</summary>
    [Fact]
    public async Task A_starting_filter_that_matches_nothing_gives_an_empty_graph()
    {
        await using var store = await factory.OpenEmptyAsync();
        await SeedExampleAsync(store);

        var graph = await store.GetLineageSubgraphAsync(new LineageSubgraphQuery { StartArtifacts = "uri = 'uri://nowhere'" });

        graph.IsEmpty.Should().BeTrue();
        graph.Events.Should().BeEmpty();
        graph.Contexts.Should().BeEmpty();
    }

    // MLMD-REFERENCE.md 2.7, errors: no starting nodes, an empty or invalid filter, a negative hop count, an empty read mask.
    /// <summary>Queries the store must refuse, each with why.</summary>
    public static TheoryData<string, LineageSubgraphQuery> InvalidQueries => new()
    {
        { "no starting nodes", new LineageSubgraphQuery() },
        { "both kinds of starting nodes", new LineageSubgraphQuery { StartArtifacts = "id = 1", StartExecutions = "id = 1" } },
        { "empty starting filter", new LineageSubgraphQuery { StartArtifacts = "" } },
        { "blank starting filter", new LineageSubgraphQuery { StartExecutions = "  " } },
        { "invalid starting filter", new LineageSubgraphQuery { StartArtifacts = "uri = = 'x'" } },
        { "invalid ending filter", new LineageSubgraphQuery { StartArtifacts = "id = 1", EndExecutions = "no_such_column = 1" } },
        { "negative hops", new LineageSubgraphQuery { StartArtifacts = "id = 1", MaxHops = -1 } },
        { "empty read mask", new LineageSubgraphQuery { StartArtifacts = "id = 1", ReadMask = LineageReadMask.None } },
        { "unknown direction", new LineageSubgraphQuery { StartArtifacts = "id = 1", Direction = (LineageDirection)7 } },
    };

    /// <summary>GetLineageSubgraph refuses invalid queries.</summary>
    [Theory]
    [MemberData(nameof(InvalidQueries))]
    public async Task GetLineageSubgraph_refuses_invalid_queries(string why, LineageSubgraphQuery query)
    {
        await using var store = await factory.OpenEmptyAsync();
        await SeedExampleAsync(store);

        var error = await ((Func<Task>)(() => store.GetLineageSubgraphAsync(query))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
        error.Message.Should().NotBeNullOrWhiteSpace(why);
    }

    /// <summary>Hop counts above the limit mean the limit.</summary>
    [Fact]
    public async Task Hop_counts_above_the_limit_mean_the_limit()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var executionType = await store.AddExecutionTypeAsync();
        const int Length = 60;
        var a = await store.PutArtifactsAsync(Enumerable.Range(0, Length + 1).Select(_ => Artifact.Of(type.Id!.Value)).ToList());
        var e = await store.PutExecutionsAsync(Enumerable.Range(0, Length).Select(_ => Execution.Of(executionType.Id!.Value)).ToList());
        await store.PutEventsAsync(Enumerable.Range(0, Length).SelectMany(i => new[] { Event.Of(EventType.Input, a[i], e[i]), Event.Of(EventType.Output, a[i + 1], e[i]) }).ToList());

        var capped = await store.GetLineageSubgraphAsync(new LineageSubgraphQuery { StartArtifacts = $"id = {a[0]}", MaxHops = 1000, IdsOnly = true });
        var unset = await store.GetLineageSubgraphAsync(new LineageSubgraphQuery { StartArtifacts = $"id = {a[0]}", IdsOnly = true });

        capped.Nodes.Should().HaveCount(LineageSubgraphQuery.MaxHopsLimit + 1);
        unset.Nodes.Should().HaveCount(LineageSubgraphQuery.MaxHopsLimit + 1);
        capped.Hops.Values.Max().Should().Be(LineageSubgraphQuery.MaxHopsLimit);
    }

    private static string[] Split(string names) => names.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
