using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary><see cref="IMetadataStore.PutExecutionAsync"/>: the atomic publish of an execution with its artifacts, events and contexts.</summary>
public abstract class PutExecutionConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    private sealed record Types(ArtifactType Artifact, ExecutionType Execution, ContextType Context);

    private static async Task<Types> SeedTypesAsync(IMetadataStore store) => new(
        await store.AddArtifactTypeAsync(("size", PropertyKind.Int)),
        await store.AddExecutionTypeAsync(("step", PropertyKind.Int)),
        await store.AddContextTypeAsync());

    /// <summary>PutExecutionAsync stores execution artifacts events and contexts.</summary>
    [Fact]
    public async Task PutExecutionAsync_stores_execution_artifacts_events_and_contexts()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);

        var result = await store.PutExecutionAsync(
            Execution.Of(t.Execution.StoredId, ExecutionState.Complete),
            [new(Artifact.Of(t.Artifact.StoredId, "in"), Event.Of(EventType.Input).WithPath("x")), new(Artifact.Of(t.Artifact.StoredId, "out"), Event.Of(EventType.Output))],
            [Context.Of(t.Context.StoredId, "run-1"), Context.Of(t.Context.StoredId, "run-2")]);

        result.ArtifactIds.Should().HaveCount(2);
        result.ContextIds.Should().HaveCount(2);
        (await store.GetExecutionAsync(result.ExecutionId)).LastKnownState.Should().Be(ExecutionState.Complete);
        (await store.GetArtifactAsync(result.ArtifactIds[0]!.Value)).Uri.Should().Be("in");
        (await store.GetArtifactAsync(result.ArtifactIds[1]!.Value)).Uri.Should().Be("out");
        (await store.GetContextAsync(result.ContextIds[1])).Name.Should().Be("run-2");
        var events = await store.GetEventsByExecutionIdsAsync([result.ExecutionId]);
        events.Select(e => (e.ArtifactId, e.ExecutionId, e.Type)).Should().Equal(
            (result.ArtifactIds[0], result.ExecutionId, EventType.Input), (result.ArtifactIds[1], result.ExecutionId, EventType.Output));
        events[0].Path.Should().Equal(EventStep.ForKey("x"));
    }

    /// <summary>PutExecutionAsync links every context to the execution and every artifact.</summary>
    [Fact]
    public async Task PutExecutionAsync_links_every_context_to_the_execution_and_every_artifact()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);

        var result = await store.PutExecutionAsync(
            Execution.Of(t.Execution.StoredId),
            [new(Artifact.Of(t.Artifact.StoredId, "a"), Event.Of(EventType.Input)), new(Artifact.Of(t.Artifact.StoredId, "b"), null)],
            [Context.Of(t.Context.StoredId, "c1"), Context.Of(t.Context.StoredId, "c2")]);

        (await store.GetContextsByExecutionAsync(result.ExecutionId)).Select(c => c.StoredId).Should().BeEquivalentTo(result.ContextIds);
        foreach (var artifactId in result.ArtifactIds)
        {
            (await store.GetContextsByArtifactAsync(artifactId!.Value)).Select(c => c.StoredId).Should().BeEquivalentTo(result.ContextIds);
        }

        (await store.GetEventsByExecutionIdsAsync([result.ExecutionId])).Should().ContainSingle();
    }

    /// <summary>PutExecutionAsync uses a stored artifact named by the event.</summary>
    [Fact]
    public async Task PutExecutionAsync_uses_a_stored_artifact_named_by_the_event()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var stored = await store.PutArtifactAsync(Artifact.Of(t.Artifact.StoredId, "old"));
        var context = Context.Of(t.Context.StoredId, "c");

        var result = await store.PutExecutionAsync(Execution.Of(t.Execution.StoredId), [new(null, Event.Of(EventType.Input, artifactId: stored))], [context]);

        result.ArtifactIds.Should().Equal(stored);
        (await store.GetEventsByArtifactIdsAsync([stored])).Single().ExecutionId.Should().Be(result.ExecutionId);
        (await store.GetContextsByArtifactAsync(stored)).Select(c => c.StoredId).Should().Equal(result.ContextIds);
    }

    /// <summary>PutExecutionAsync returns minus one for an empty pair.</summary>
    [Fact]
    public async Task PutExecutionAsync_returns_minus_one_for_an_empty_pair()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);

        var result = await store.PutExecutionAsync(Execution.Of(t.Execution.StoredId), [new(Artifact.Of(t.Artifact.StoredId), null), new(null, null)], []);

        result.ArtifactIds.Should().HaveCount(2);
        result.ArtifactIds[1].Should().BeNull();
        (await store.AllArtifactsAsync()).Should().ContainSingle();
    }

    /// <summary>PutExecutionAsync updates stored execution and artifact.</summary>
    [Fact]
    public async Task PutExecutionAsync_updates_stored_execution_and_artifact()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var executionId = await store.PutSingleExecutionAsync(Execution.Of(t.Execution.StoredId, ExecutionState.Running));
        var artifactId = await store.PutArtifactAsync(Artifact.Of(t.Artifact.StoredId, "pending") with { State = ArtifactState.Pending });

        var result = await store.PutExecutionAsync(
            Execution.Of(t.Execution.StoredId, ExecutionState.Complete) with { Id = executionId },
            [new(Artifact.Of(t.Artifact.StoredId, "done") with { Id = artifactId, State = ArtifactState.Live }, Event.Of(EventType.Output))],
            []);

        result.ExecutionId.Should().Be(executionId);
        result.ArtifactIds.Should().Equal(artifactId);
        (await store.GetExecutionAsync(executionId)).LastKnownState.Should().Be(ExecutionState.Complete);
        (await store.GetArtifactAsync(artifactId)).State.Should().Be(ArtifactState.Live);
        (await store.AllExecutionsAsync()).Should().ContainSingle();
    }

    /// <summary>PutExecutionAsync throws InvalidArgument when event names another execution.</summary>
    [Fact]
    public async Task PutExecutionAsync_throws_InvalidArgument_when_event_names_another_execution()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var other = await store.PutSingleExecutionAsync(Execution.Of(t.Execution.StoredId));
        var before = await store.SnapshotAsync();

        var act = () => store.PutExecutionAsync(Execution.Of(t.Execution.StoredId), [new(Artifact.Of(t.Artifact.StoredId), Event.Of(EventType.Output, executionId: other))], [Context.Of(t.Context.StoredId, "c")]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutExecutionAsync throws InvalidArgument when event names another artifact than its pair.</summary>
    [Fact]
    public async Task PutExecutionAsync_throws_InvalidArgument_when_event_names_another_artifact_than_its_pair()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var ids = await store.PutArtifactsAsync([Artifact.Of(t.Artifact.StoredId, "a"), Artifact.Of(t.Artifact.StoredId, "b")]);
        var before = await store.SnapshotAsync();

        var act = () => store.PutExecutionAsync(Execution.Of(t.Execution.StoredId), [new(Artifact.Of(t.Artifact.StoredId, "a") with { Id = ids[0] }, Event.Of(EventType.Input, artifactId: ids[1]))], []);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutExecutionAsync throws InvalidArgument when an event has no artifact.</summary>
    [Fact]
    public async Task PutExecutionAsync_throws_InvalidArgument_when_an_event_has_no_artifact()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);

        var act = () => store.PutExecutionAsync(Execution.Of(t.Execution.StoredId), [new(null, Event.Of(EventType.Input))], []);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        (await store.AllExecutionsAsync()).Should().BeEmpty();
    }

    /// <summary>PutExecutionAsync rolls back everything when an event is a duplicate.</summary>
    [Fact]
    public async Task PutExecutionAsync_rolls_back_everything_when_an_event_is_a_duplicate()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var artifactId = await store.PutArtifactAsync(Artifact.Of(t.Artifact.StoredId));
        var before = await store.SnapshotAsync();

        var act = () => store.PutExecutionAsync(
            Execution.Of(t.Execution.StoredId),
            [new(Artifact.Of(t.Artifact.StoredId, "new"), Event.Of(EventType.Output)), new(null, Event.Of(EventType.Input, artifactId)), new(null, Event.Of(EventType.Input, artifactId))],
            [Context.Of(t.Context.StoredId, "c")]);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutExecutionAsync rolls back everything when an artifact property is invalid.</summary>
    [Fact]
    public async Task PutExecutionAsync_rolls_back_everything_when_an_artifact_property_is_invalid()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutExecutionAsync(
            Execution.Of(t.Execution.StoredId),
            [new(Artifact.Of(t.Artifact.StoredId, "ok"), Event.Of(EventType.Input)), new(Artifact.Of(t.Artifact.StoredId).With("size", "big"), Event.Of(EventType.Output))],
            [Context.Of(t.Context.StoredId, "c")]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutExecutionAsync rolls back everything when the execution property is invalid.</summary>
    [Fact]
    public async Task PutExecutionAsync_rolls_back_everything_when_the_execution_property_is_invalid()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutExecutionAsync(Execution.Of(t.Execution.StoredId).With("undeclared", 1), [new(Artifact.Of(t.Artifact.StoredId), Event.Of(EventType.Output))], []);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutExecutionAsync rolls back everything when a context type is unknown.</summary>
    [Fact]
    public async Task PutExecutionAsync_rolls_back_everything_when_a_context_type_is_unknown()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutExecutionAsync(
            Execution.Of(t.Execution.StoredId),
            [new(Artifact.Of(t.Artifact.StoredId), Event.Of(EventType.Output))],
            [Context.Of(t.Context.StoredId, "good"), Context.Of(Some.TypeName(), "bad")]);

        await act.ShouldFailWith(MetadataErrorCode.NotFound);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutExecutionAsync throws InvalidArgument when a context has no name.</summary>
    [Fact]
    public async Task PutExecutionAsync_throws_InvalidArgument_when_a_context_has_no_name()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutExecutionAsync(Execution.Of(t.Execution.StoredId), [], [new Context { TypeId = t.Context.Id }]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutExecutionAsync throws AlreadyExists when context exists and reuse is off.</summary>
    [Fact]
    public async Task PutExecutionAsync_throws_AlreadyExists_when_context_exists_and_reuse_is_off()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        await store.PutContextAsync(Context.Of(t.Context.StoredId, "pipeline"));
        var before = await store.SnapshotAsync();

        var act = () => store.PutExecutionAsync(Execution.Of(t.Execution.StoredId), [new(Artifact.Of(t.Artifact.StoredId), Event.Of(EventType.Output))], [Context.Of(t.Context.StoredId, "pipeline")]);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutExecutionAsync reuses existing context when ReuseContextIfAlreadyExists.</summary>
    [Fact]
    public async Task PutExecutionAsync_reuses_existing_context_when_ReuseContextIfAlreadyExists()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var contextId = await store.PutContextAsync(Context.Of(t.Context.StoredId, "pipeline"));

        var result = await store.PutExecutionAsync(
            Execution.Of(t.Execution.StoredId),
            [new(Artifact.Of(t.Artifact.StoredId), Event.Of(EventType.Output))],
            [Context.Of(t.Context.StoredId, "pipeline")],
            new PutExecutionOptions { ReuseContextIfAlreadyExists = true });

        result.ContextIds.Should().Equal(contextId);
        (await store.AllContextsAsync()).Should().ContainSingle();
        (await store.ListExecutionsByContextAsync(contextId)).Items.Select(e => e.Id).Should().Equal(result.ExecutionId);
    }

    /// <summary>PutExecutionAsync reuses artifact by external id when option is on.</summary>
    [Fact]
    public async Task PutExecutionAsync_reuses_artifact_by_external_id_when_option_is_on()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var artifactId = await store.PutArtifactAsync(Artifact.Of(t.Artifact.StoredId, "m") with { ExternalId = "model-7", State = ArtifactState.Pending });

        var result = await store.PutExecutionAsync(
            Execution.Of(t.Execution.StoredId),
            [new(Artifact.Of(t.Artifact.StoredId, "m") with { ExternalId = "model-7", State = ArtifactState.Live }, Event.Of(EventType.Output))],
            [],
            new PutExecutionOptions { ReuseArtifactIfAlreadyExistsByExternalId = true });

        result.ArtifactIds.Should().Equal(artifactId);
        (await store.AllArtifactsAsync()).Should().ContainSingle();
        (await store.GetArtifactAsync(artifactId)).State.Should().Be(ArtifactState.Live);
    }

    /// <summary>PutExecutionAsync throws AlreadyExists when artifact external id exists and reuse is off.</summary>
    [Fact]
    public async Task PutExecutionAsync_throws_AlreadyExists_when_artifact_external_id_exists_and_reuse_is_off()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        await store.PutArtifactAsync(Artifact.Of(t.Artifact.StoredId) with { ExternalId = "model-7" });
        var before = await store.SnapshotAsync();

        var act = () => store.PutExecutionAsync(Execution.Of(t.Execution.StoredId), [new(Artifact.Of(t.Artifact.StoredId) with { ExternalId = "model-7" }, Event.Of(EventType.Output))], []);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutExecutionAsync throws NotFound when ForceReuseContext names an unknown context.</summary>
    [Fact]
    public async Task PutExecutionAsync_throws_NotFound_when_ForceReuseContext_names_an_unknown_context()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutExecutionAsync(
            Execution.Of(t.Execution.StoredId),
            [new(Artifact.Of(t.Artifact.StoredId), Event.Of(EventType.Output))],
            [Context.Of(t.Context.StoredId, "ghost") with { Id = 515_151 }],
            new PutExecutionOptions { ForceReuseContext = true });

        (await act.ShouldFailWith(MetadataErrorCode.NotFound)).Message.Should().Contain("515151");
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutExecutionAsync leaves context unchanged when ForceReuseContext.</summary>
    [Fact]
    public async Task PutExecutionAsync_leaves_context_unchanged_when_ForceReuseContext()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var contextId = await store.PutContextAsync(Context.Of(t.Context.StoredId, "keep").WithCustom("k", 1));
        var stored = await store.GetContextAsync(contextId);

        var result = await store.PutExecutionAsync(
            Execution.Of(t.Execution.StoredId),
            [],
            [(Context.Of(t.Context.StoredId, "changed") with { Id = contextId }).WithCustom("k", 2)],
            new PutExecutionOptions { ForceReuseContext = true });

        result.ContextIds.Should().Equal(contextId);
        (await store.GetContextAsync(contextId)).Should().BeEquivalentTo(stored, o => o.ComparingRecordsByMembers());
        (await store.GetContextsByExecutionAsync(result.ExecutionId)).Select(c => c.Id).Should().Equal(contextId);
    }

    /// <summary>PutExecutionAsync updates context with id when ForceReuseContext is off.</summary>
    [Fact]
    public async Task PutExecutionAsync_updates_context_with_id_when_ForceReuseContext_is_off()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var contextId = await store.PutContextAsync(Context.Of(t.Context.StoredId, "before"));

        await store.PutExecutionAsync(Execution.Of(t.Execution.StoredId), [], [Context.Of(t.Context.StoredId, "after") with { Id = contextId }]);

        (await store.GetContextAsync(contextId)).Name.Should().Be("after");
    }

    /// <summary>PutExecutionAsync throws NotFound when the execution type is unknown.</summary>
    [Fact]
    public async Task PutExecutionAsync_throws_NotFound_when_the_execution_type_is_unknown()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutExecutionAsync(Execution.Of(989_898), [new(Artifact.Of(t.Artifact.StoredId), Event.Of(EventType.Output))], []);

        await act.ShouldFailWith(MetadataErrorCode.NotFound);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutExecutionAsync succeeds when an attribution already exists.</summary>
    [Fact]
    public async Task PutExecutionAsync_succeeds_when_an_attribution_already_exists()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var artifactId = await store.PutArtifactAsync(Artifact.Of(t.Artifact.StoredId));
        var contextId = await store.PutContextAsync(Context.Of(t.Context.StoredId, "c"));
        await store.PutAttributionsAndAssociationsAsync([new Attribution(contextId, artifactId)], []);

        var result = await store.PutExecutionAsync(
            Execution.Of(t.Execution.StoredId),
            [new(null, Event.Of(EventType.Input, artifactId))],
            [Context.Of(t.Context.StoredId, "c") with { Id = contextId }]);

        (await store.GetContextsByArtifactAsync(artifactId)).Should().ContainSingle();
        (await store.GetContextsByExecutionAsync(result.ExecutionId)).Should().ContainSingle();
    }
    /// <summary>PutExecutionAsync throws InvalidArgument when a context has no type.</summary>
    [Fact]
    public async Task PutExecutionAsync_throws_InvalidArgument_when_a_context_has_no_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutExecutionAsync(Execution.Of(t.Execution.StoredId), [new(Artifact.Of(t.Artifact.StoredId), Event.Of(EventType.Output))], [new Context { Name = "untyped" }]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutExecutionAsync throws InvalidArgument when an event type is Unknown.</summary>
    [Fact]
    public async Task PutExecutionAsync_throws_InvalidArgument_when_an_event_type_is_Unknown()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutExecutionAsync(Execution.Of(t.Execution.StoredId), [new(Artifact.Of(t.Artifact.StoredId), Event.Of(EventType.Unknown))], []);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }
    /// <summary>PutExecutionAsync inserts context when ReuseContextIfAlreadyExists finds none.</summary>
    [Fact]
    public async Task PutExecutionAsync_inserts_context_when_ReuseContextIfAlreadyExists_finds_none()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var existing = await store.PutContextAsync(Context.Of(t.Context.StoredId, "old"));

        var result = await store.PutExecutionAsync(
            Execution.Of(t.Execution.StoredId),
            [],
            [Context.Of(t.Context.StoredId, "fresh"), Context.Of(t.Context.StoredId, "old")],
            new PutExecutionOptions { ReuseContextIfAlreadyExists = true });

        result.ContextIds.Should().HaveCount(2);
        result.ContextIds[1].Should().Be(existing);
        (await store.GetContextAsync(result.ContextIds[0])).Name.Should().Be("fresh");
        (await store.AllContextsAsync()).Should().HaveCount(2);
    }

    /// <summary>PutExecutionAsync creates one context when the request names a new context twice with reuse on.</summary>
    [Fact]
    public async Task PutExecutionAsync_creates_one_context_when_the_request_names_a_new_one_twice_with_reuse()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);

        var result = await store.PutExecutionAsync(
            Execution.Of(t.Execution.StoredId),
            [new(Artifact.Of(t.Artifact.StoredId, "out"), Event.Of(EventType.Output))],
            [Context.Of(t.Context.StoredId, "twice"), Context.Of(t.Context.StoredId, "twice")],
            new PutExecutionOptions { ReuseContextIfAlreadyExists = true });

        result.ContextIds.Should().HaveCount(2).And.OnlyContain(id => id == result.ContextIds[0]);
        (await store.AllContextsAsync()).Should().ContainSingle();
        (await store.ListArtifactsByContextAsync(result.ContextIds[0])).Items.Should().ContainSingle();
    }

    /// <summary>PutExecutionAsync names the execution and stores nothing when an event of a stored execution is repeated.</summary>
    [Fact]
    public async Task PutExecutionAsync_throws_AlreadyExists_naming_the_execution_when_a_stored_event_is_repeated()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var input = await store.PutArtifactAsync(Artifact.Of(t.Artifact.StoredId, "in"));
        var first = await store.PutExecutionAsync(Execution.Of(t.Execution.StoredId), [new(null, Event.Of(EventType.Input, input))], []);
        var before = await store.SnapshotAsync();

        var act = () => store.PutExecutionAsync(
            Execution.Of(t.Execution.StoredId) with { Id = first.ExecutionId },
            [new(Artifact.Of(t.Artifact.StoredId, "out"), Event.Of(EventType.Output)), new(null, Event.Of(EventType.Input, input))],
            [Context.Of(t.Context.StoredId, "c")]);

        (await act.ShouldFailWith(MetadataErrorCode.AlreadyExists)).Message.Should()
            .Contain(first.ExecutionId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutExecutionAsync sets event time to now when not given.</summary>
    [Fact]
    public async Task PutExecutionAsync_sets_event_time_to_now_when_not_given()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedTypesAsync(store);
        var before = DateTimeOffset.UtcNow.AddMilliseconds(-1);

        var result = await store.PutExecutionAsync(Execution.Of(t.Execution.StoredId), [new(Artifact.Of(t.Artifact.StoredId), Event.Of(EventType.Output))], []);

        (await store.GetEventsByExecutionIdsAsync([result.ExecutionId])).Single().Time.Should().NotBeNull().And.BeOnOrAfter(before);
    }
}
