using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary><see cref="IMetadataStore.PutLineageSubgraphAsync"/>: the atomic publish of several executions, artifacts and contexts.</summary>
public abstract class PutLineageSubgraphConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    private sealed record Types(long Artifact, long Execution, long Context);

    private static async Task<Types> SeedTypesAsync(IMetadataStore store) => new(
        (await store.AddArtifactTypeAsync(("size", PropertyKind.Int))).StoredId,
        (await store.AddExecutionTypeAsync()).StoredId,
        (await store.AddContextTypeAsync()).StoredId);

    /// <summary>PutLineageSubgraphAsync stores nodes and events by index.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_stores_nodes_and_events_by_index()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);

        var result = await store.PutLineageSubgraphAsync(
            [Execution.Of(t.Execution, name: "e0"), Execution.Of(t.Execution, name: "e1")],
            [Artifact.Of(t.Artifact, "a0"), Artifact.Of(t.Artifact, "a1"), Artifact.Of(t.Artifact, "a2")],
            [Context.Of(t.Context, "c0")],
            [new(0, 0, Event.Of(EventType.Input)), new(0, 1, Event.Of(EventType.Output).WithPath("out", 0)), new(1, 1, Event.Of(EventType.Input)), new(1, 2, Event.Of(EventType.Output))]);

        result.ExecutionIds.Should().HaveCount(2);
        result.ArtifactIds.Should().HaveCount(3);
        result.ContextIds.Should().HaveCount(1);
        (await store.GetArtifactAsync(result.ArtifactIds[2])).Uri.Should().Be("a2");
        (await store.GetExecutionAsync(result.ExecutionIds[1])).Name.Should().Be("e1");
        var events = await store.GetEventsByExecutionIdsAsync([result.ExecutionIds[0]]);
        events.Select(e => (e.ArtifactId, e.Type)).Should().Equal((result.ArtifactIds[0], EventType.Input), (result.ArtifactIds[1], EventType.Output));
        events[1].Path.Should().Equal(EventStep.ForKey("out"), EventStep.ForIndex(0));
        (await store.GetEventsByArtifactIdsAsync([result.ArtifactIds[1]])).Should().HaveCount(2);
    }

    /// <summary>PutLineageSubgraphAsync links every context to every node.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_links_every_context_to_every_node()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);

        var result = await store.PutLineageSubgraphAsync(
            [Execution.Of(t.Execution), Execution.Of(t.Execution)],
            [Artifact.Of(t.Artifact), Artifact.Of(t.Artifact)],
            [Context.Of(t.Context, "c0"), Context.Of(t.Context, "c1")],
            []);

        foreach (var contextId in result.ContextIds)
        {
            (await store.ListArtifactsByContextAsync(contextId)).Items.Select(a => a.StoredId).Should().BeEquivalentTo(result.ArtifactIds);
            (await store.ListExecutionsByContextAsync(contextId)).Items.Select(e => e.StoredId).Should().BeEquivalentTo(result.ExecutionIds);
        }
    }

    /// <summary>PutLineageSubgraphAsync accepts edges that name stored nodes by id.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_accepts_edges_that_name_stored_nodes_by_id()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var artifactId = await store.PutArtifactAsync(Artifact.Of(t.Artifact, "stored"));
        var executionId = await store.PutSingleExecutionAsync(Execution.Of(t.Execution));

        var result = await store.PutLineageSubgraphAsync(
            [Execution.Of(t.Execution)],
            [Artifact.Of(t.Artifact, "new")],
            [],
            [new(null, null, Event.Of(EventType.Input, artifactId, executionId)), new(0, null, Event.Of(EventType.Input, artifactId)), new(null, 0, Event.Of(EventType.Output, executionId: executionId))]);

        (await store.GetEventsByExecutionIdsAsync([executionId])).Select(e => (e.ArtifactId, e.Type)).Should().Equal((artifactId, EventType.Input), (result.ArtifactIds[0], EventType.Output));
        (await store.GetEventsByExecutionIdsAsync([result.ExecutionIds[0]])).Single().ArtifactId.Should().Be(artifactId);
    }

    /// <summary>PutLineageSubgraphAsync succeeds when request is empty.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_succeeds_when_request_is_empty()
    {
        await using var store = await factory.OpenEmptyAsync();

        var result = await store.PutLineageSubgraphAsync([], [], [], []);

        result.ExecutionIds.Should().BeEmpty();
        result.ArtifactIds.Should().BeEmpty();
        result.ContextIds.Should().BeEmpty();
    }

    /// <summary>PutLineageSubgraphAsync throws OutOfRange when an index is outside the request.</summary>
    [Theory]
    [InlineData(1, 0)]
    [InlineData(0, 2)]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    public async Task PutLineageSubgraphAsync_throws_OutOfRange_when_an_index_is_outside_the_request(int executionIndex, int artifactIndex)
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutLineageSubgraphAsync(
            [Execution.Of(t.Execution)],
            [Artifact.Of(t.Artifact), Artifact.Of(t.Artifact)],
            [Context.Of(t.Context, "c")],
            [new(0, 0, Event.Of(EventType.Input)), new(executionIndex, artifactIndex, Event.Of(EventType.Output))]);

        (await act.ShouldFailWith(MetadataErrorCode.OutOfRange)).Message.Should().Contain((executionIndex is < 0 or > 0 ? executionIndex : artifactIndex).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutLineageSubgraphAsync throws InvalidArgument when an edge has no execution.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_throws_InvalidArgument_when_an_edge_has_no_execution()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutLineageSubgraphAsync([Execution.Of(t.Execution)], [Artifact.Of(t.Artifact)], [], [new(null, 0, Event.Of(EventType.Input))]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutLineageSubgraphAsync throws InvalidArgument when an edge has no artifact.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_throws_InvalidArgument_when_an_edge_has_no_artifact()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutLineageSubgraphAsync([Execution.Of(t.Execution)], [Artifact.Of(t.Artifact)], [], [new(0, null, Event.Of(EventType.Input))]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutLineageSubgraphAsync throws InvalidArgument when index and event id disagree.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_throws_InvalidArgument_when_index_and_event_id_disagree()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var executionIds = await store.PutExecutionsAsync([Execution.Of(t.Execution), Execution.Of(t.Execution)]);
        var before = await store.SnapshotAsync();

        var act = () => store.PutLineageSubgraphAsync(
            [Execution.Of(t.Execution) with { Id = executionIds[0] }],
            [Artifact.Of(t.Artifact)],
            [],
            [new(0, 0, Event.Of(EventType.Input, executionId: executionIds[1]))]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutLineageSubgraphAsync rolls back everything when an event is a duplicate.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_rolls_back_everything_when_an_event_is_a_duplicate()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutLineageSubgraphAsync(
            [Execution.Of(t.Execution)],
            [Artifact.Of(t.Artifact)],
            [Context.Of(t.Context, "c")],
            [new(0, 0, Event.Of(EventType.Input)), new(0, 0, Event.Of(EventType.Input))]);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutLineageSubgraphAsync rolls back everything when a property is invalid.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_rolls_back_everything_when_a_property_is_invalid()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutLineageSubgraphAsync(
            [Execution.Of(t.Execution)],
            [Artifact.Of(t.Artifact).With("size", 1), Artifact.Of(t.Artifact).With("size", 2.5)],
            [Context.Of(t.Context, "c")],
            [new(0, 0, Event.Of(EventType.Input))]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutLineageSubgraphAsync rolls back everything when a context type is unknown.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_rolls_back_everything_when_a_context_type_is_unknown()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutLineageSubgraphAsync(
            [Execution.Of(t.Execution)],
            [Artifact.Of(t.Artifact)],
            [Context.Of(t.Context, "ok"), Context.Of(Some.TypeName(), "bad")],
            [new(0, 0, Event.Of(EventType.Output))]);

        await act.ShouldFailWith(MetadataErrorCode.NotFound);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutLineageSubgraphAsync throws AlreadyExists when context exists and reuse is off.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_throws_AlreadyExists_when_context_exists_and_reuse_is_off()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        await store.PutContextAsync(Context.Of(t.Context, "pipeline"));
        var before = await store.SnapshotAsync();

        var act = () => store.PutLineageSubgraphAsync([Execution.Of(t.Execution)], [], [Context.Of(t.Context, "pipeline")], []);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutLineageSubgraphAsync reuses context when ReuseContextIfAlreadyExists.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_reuses_context_when_ReuseContextIfAlreadyExists()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var contextId = await store.PutContextAsync(Context.Of(t.Context, "pipeline"));

        var result = await store.PutLineageSubgraphAsync([Execution.Of(t.Execution)], [Artifact.Of(t.Artifact)], [Context.Of(t.Context, "pipeline")], [],
            new PutLineageSubgraphOptions { ReuseContextIfAlreadyExists = true });

        result.ContextIds.Should().Equal(contextId);
        (await store.AllContextsAsync()).Should().ContainSingle();
        (await store.ListArtifactsByContextAsync(contextId)).Items.Select(a => a.StoredId).Should().Equal(result.ArtifactIds);
    }

    /// <summary>PutLineageSubgraphAsync reuses artifact by external id when option is on.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_reuses_artifact_by_external_id_when_option_is_on()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var artifactId = await store.PutArtifactAsync(Artifact.Of(t.Artifact, "v1") with { ExternalId = "ds" });

        var result = await store.PutLineageSubgraphAsync([Execution.Of(t.Execution)], [Artifact.Of(t.Artifact, "v2") with { ExternalId = "ds" }], [], [new(0, 0, Event.Of(EventType.Input))],
            new PutLineageSubgraphOptions { ReuseArtifactIfAlreadyExistsByExternalId = true });

        result.ArtifactIds.Should().Equal(artifactId);
        (await store.AllArtifactsAsync()).Should().ContainSingle();
        (await store.GetEventsByArtifactIdsAsync([artifactId])).Should().ContainSingle();
    }

    /// <summary>PutLineageSubgraphAsync throws AlreadyExists when artifact external id exists and reuse is off.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_throws_AlreadyExists_when_artifact_external_id_exists_and_reuse_is_off()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        await store.PutArtifactAsync(Artifact.Of(t.Artifact) with { ExternalId = "ds" });
        var before = await store.SnapshotAsync();

        var act = () => store.PutLineageSubgraphAsync([Execution.Of(t.Execution)], [Artifact.Of(t.Artifact) with { ExternalId = "ds" }], [], []);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutLineageSubgraphAsync updates nodes that carry an id.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_updates_nodes_that_carry_an_id()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var executionId = await store.PutSingleExecutionAsync(Execution.Of(t.Execution, ExecutionState.Running));

        var result = await store.PutLineageSubgraphAsync([Execution.Of(t.Execution, ExecutionState.Complete) with { Id = executionId }], [Artifact.Of(t.Artifact)], [], [new(0, 0, Event.Of(EventType.Output))]);

        result.ExecutionIds.Should().Equal(executionId);
        (await store.GetExecutionAsync(executionId)).LastKnownState.Should().Be(ExecutionState.Complete);
        (await store.GetEventsByExecutionIdsAsync([executionId])).Should().ContainSingle();
    }
    /// <summary>PutLineageSubgraphAsync throws InvalidArgument when a node has no type.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_throws_InvalidArgument_when_a_node_has_no_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutLineageSubgraphAsync([Execution.Of(t.Execution)], [Artifact.Of(t.Artifact), new Artifact { Uri = "untyped" }], [], [new(0, 0, Event.Of(EventType.Input))]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutLineageSubgraphAsync throws InvalidArgument when an edge names an unknown stored node.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_throws_InvalidArgument_when_an_edge_names_an_unknown_stored_node()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutLineageSubgraphAsync([Execution.Of(t.Execution)], [], [], [new(0, null, Event.Of(EventType.Input, artifactId: 747_474))]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }
    /// <summary>PutLineageSubgraphAsync throws InvalidArgument when edge gives an id for an indexed node without one.</summary>
    [Fact]
    public async Task PutLineageSubgraphAsync_throws_InvalidArgument_when_edge_gives_an_id_for_an_indexed_node_without_one()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var storedExecution = await store.PutSingleExecutionAsync(Execution.Of(t.Execution));
        var before = await store.SnapshotAsync();

        var act = () => store.PutLineageSubgraphAsync([Execution.Of(t.Execution)], [Artifact.Of(t.Artifact)], [], [new(0, 0, Event.Of(EventType.Input, executionId: storedExecution))]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }
}
