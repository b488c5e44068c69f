using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>Events and their paths.</summary>
public abstract class EventConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    private static async Task<(long[] Artifacts, long[] Executions)> SeedAsync(IMetadataStore store, int artifacts = 2, int executions = 2)
    {
        var artifactType = await store.AddArtifactTypeAsync();
        var executionType = await store.AddExecutionTypeAsync();
        var artifactIds = await store.PutArtifactsAsync(Enumerable.Range(0, artifacts).Select(i => Artifact.Of(artifactType.StoredId, $"u{i}")).ToList());
        var executionIds = await store.PutExecutionsAsync(Enumerable.Range(0, executions).Select(_ => Execution.Of(executionType.StoredId)).ToList());
        return (artifactIds.ToArray(), executionIds.ToArray());
    }

    /// <summary>PutEvents stores events readable by execution and by artifact.</summary>
    [Fact]
    public async Task PutEvents_stores_events_readable_by_execution_and_by_artifact()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e) = await SeedAsync(store);

        await store.PutEventsAsync([Event.Of(EventType.Input, a[0], e[0]), Event.Of(EventType.Output, a[1], e[0]), Event.Of(EventType.Input, a[1], e[1])]);

        var byExecution = await store.GetEventsByExecutionIdsAsync([e[0]]);
        byExecution.Select(x => (x.ArtifactId, x.ExecutionId, x.Type)).Should().Equal((a[0], e[0], EventType.Input), (a[1], e[0], EventType.Output));
        var byArtifact = await store.GetEventsByArtifactIdsAsync([a[1]]);
        byArtifact.Select(x => (x.ArtifactId, x.ExecutionId, x.Type)).Should().Equal((a[1], e[0], EventType.Output), (a[1], e[1], EventType.Input));
    }

    /// <summary>GetEvents return events in the order they were stored.</summary>
    [Fact]
    public async Task GetEvents_return_events_in_the_order_they_were_stored()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e) = await SeedAsync(store, artifacts: 4, executions: 1);

        await store.PutEventsAsync([Event.Of(EventType.Output, a[3], e[0]), Event.Of(EventType.Input, a[1], e[0])]);
        await store.PutEventsAsync([Event.Of(EventType.Input, a[2], e[0]), Event.Of(EventType.Input, a[0], e[0])]);

        (await store.GetEventsByExecutionIdsAsync([e[0]])).Select(x => x.ArtifactId).Should().Equal(a[3], a[1], a[2], a[0]);
    }

    /// <summary>PutEvents keeps path steps in order.</summary>
    [Fact]
    public async Task PutEvents_keeps_path_steps_in_order()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e) = await SeedAsync(store, 1, 1);
        var @event = Event.Of(EventType.DeclaredInput, a[0], e[0]).WithPath("data", 0, "z", 7L, "a", -1);

        await store.PutEventsAsync([@event]);

        var stored = (await store.GetEventsByArtifactIdsAsync([a[0]])).Should().ContainSingle().Subject;
        stored.Path.Should().Equal(EventStep.ForKey("data"), EventStep.ForIndex(0), EventStep.ForKey("z"), EventStep.ForIndex(7), EventStep.ForKey("a"), EventStep.ForIndex(-1));
    }

    /// <summary>PutEvents stores empty path when none is given.</summary>
    [Fact]
    public async Task PutEvents_stores_empty_path_when_none_is_given()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e) = await SeedAsync(store, 1, 1);

        await store.PutEventsAsync([Event.Of(EventType.Output, a[0], e[0])]);

        (await store.GetEventsByExecutionIdsAsync([e[0]])).Single().Path.Should().BeEmpty();
    }

    /// <summary>PutEvents keeps the paths of several events apart.</summary>
    [Fact]
    public async Task PutEvents_keeps_the_paths_of_several_events_apart()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e) = await SeedAsync(store, 2, 1);

        await store.PutEventsAsync([Event.Of(EventType.Input, a[0], e[0]).WithPath("x", 1), Event.Of(EventType.Input, a[1], e[0]).WithPath("y")]);

        var events = await store.GetEventsByExecutionIdsAsync([e[0]]);
        events.Single(x => x.ArtifactId == a[0]).Path.Should().Equal(EventStep.ForKey("x"), EventStep.ForIndex(1));
        events.Single(x => x.ArtifactId == a[1]).Path.Should().Equal(EventStep.ForKey("y"));
    }

    /// <summary>PutEvents sets time to now when not given.</summary>
    [Fact]
    public async Task PutEvents_sets_time_to_now_when_not_given()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e) = await SeedAsync(store, 1, 1);
        var before = DateTimeOffset.UtcNow.AddMilliseconds(-1);

        await store.PutEventsAsync([Event.Of(EventType.Output, a[0], e[0])]);

        var after = DateTimeOffset.UtcNow.AddMilliseconds(1);
        (await store.GetEventsByExecutionIdsAsync([e[0]])).Single().Time.Should().NotBeNull().And.BeOnOrAfter(before).And.BeOnOrBefore(after);
    }

    /// <summary>PutEvents keeps the given time.</summary>
    [Fact]
    public async Task PutEvents_keeps_the_given_time()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e) = await SeedAsync(store, 1, 1);
        var time = DateTimeOffset.FromUnixTimeMilliseconds(1_600_000_000_123);

        await store.PutEventsAsync([Event.Of(EventType.Output, a[0], e[0]) with { Time = time }]);

        (await store.GetEventsByExecutionIdsAsync([e[0]])).Single().Time.Should().Be(time);
    }

    /// <summary>PutEvents throws AlreadyExists when same artifact execution and type is stored.</summary>
    [Fact]
    public async Task PutEvents_throws_AlreadyExists_when_same_artifact_execution_and_type_is_stored()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e) = await SeedAsync(store, 1, 1);
        await store.PutEventsAsync([Event.Of(EventType.Input, a[0], e[0])]);

        var act = () => store.PutEventsAsync([Event.Of(EventType.Input, a[0], e[0]).WithPath("other")]);

        (await act.ShouldFailWith(MetadataErrorCode.AlreadyExists)).Message.Should().Contain(a[0].ToString(System.Globalization.CultureInfo.InvariantCulture))
            .And.Contain(e[0].ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await store.GetEventsByExecutionIdsAsync([e[0]])).Should().ContainSingle();
    }

    /// <summary>PutEvents allows another type between the same artifact and execution.</summary>
    [Fact]
    public async Task PutEvents_allows_another_type_between_the_same_artifact_and_execution()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e) = await SeedAsync(store, 1, 1);

        await store.PutEventsAsync([Event.Of(EventType.Input, a[0], e[0]), Event.Of(EventType.Output, a[0], e[0])]);

        (await store.GetEventsByExecutionIdsAsync([e[0]])).Should().HaveCount(2);
    }

    /// <summary>PutEvents stores nothing when the batch repeats an event.</summary>
    [Fact]
    public async Task PutEvents_stores_nothing_when_the_batch_repeats_an_event()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e) = await SeedAsync(store, 2, 1);

        var act = () => store.PutEventsAsync([Event.Of(EventType.Output, a[1], e[0]), Event.Of(EventType.Input, a[0], e[0]), Event.Of(EventType.Input, a[0], e[0])]);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        (await store.GetEventsByExecutionIdsAsync([e[0]])).Should().BeEmpty();
    }

    /// <summary>PutEvents throws InvalidArgument when artifact is unknown.</summary>
    [Fact]
    public async Task PutEvents_throws_InvalidArgument_when_artifact_is_unknown()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e) = await SeedAsync(store, 1, 1);

        var act = () => store.PutEventsAsync([Event.Of(EventType.Input, a[0], e[0]), Event.Of(EventType.Input, 777_777, e[0])]);

        (await act.ShouldFailWith(MetadataErrorCode.InvalidArgument)).Message.Should().Contain("777777");
        (await store.GetEventsByExecutionIdsAsync([e[0]])).Should().BeEmpty();
    }

    /// <summary>PutEvents throws InvalidArgument when execution is unknown.</summary>
    [Fact]
    public async Task PutEvents_throws_InvalidArgument_when_execution_is_unknown()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, _) = await SeedAsync(store, 1, 1);

        var act = () => store.PutEventsAsync([Event.Of(EventType.Input, a[0], 888_888)]);

        (await act.ShouldFailWith(MetadataErrorCode.InvalidArgument)).Message.Should().Contain("888888");
        (await store.GetEventsByArtifactIdsAsync([a[0]])).Should().BeEmpty();
    }

    /// <summary>PutEvents throws InvalidArgument when an id is missing.</summary>
    [Fact]
    public async Task PutEvents_throws_InvalidArgument_when_an_id_is_missing()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e) = await SeedAsync(store, 1, 1);

        await ((Func<Task>)(() => store.PutEventsAsync([Event.Of(EventType.Input, null, e[0])]))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await ((Func<Task>)(() => store.PutEventsAsync([Event.Of(EventType.Input, a[0], null)]))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
    }

    /// <summary>PutEvents throws InvalidArgument when type is Unknown.</summary>
    [Fact]
    public async Task PutEvents_throws_InvalidArgument_when_type_is_Unknown()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e) = await SeedAsync(store, 1, 1);

        var act = () => store.PutEventsAsync([Event.Of(EventType.Unknown, a[0], e[0])]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        (await store.GetEventsByExecutionIdsAsync([e[0]])).Should().BeEmpty();
    }

    /// <summary>PutEvents throws InvalidArgument when artifact id names an execution only.</summary>
    [Fact]
    public async Task PutEvents_throws_InvalidArgument_when_artifact_id_names_an_execution_only()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (_, e) = await SeedAsync(store, 0, 1);

        var act = () => store.PutEventsAsync([Event.Of(EventType.Input, e[0], e[0])]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
    }

    /// <summary>GetEvents return empty lists when there are no events.</summary>
    [Fact]
    public async Task GetEvents_return_empty_lists_when_there_are_no_events()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e) = await SeedAsync(store, 1, 1);

        (await store.GetEventsByExecutionIdsAsync([e[0]])).Should().BeEmpty();
        (await store.GetEventsByArtifactIdsAsync([a[0], 12345])).Should().BeEmpty();
        (await store.GetEventsByExecutionIdsAsync([])).Should().BeEmpty();
    }

    /// <summary>GetEventsByExecutionIds reads several executions at once.</summary>
    [Fact]
    public async Task GetEventsByExecutionIds_reads_several_executions_at_once()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e) = await SeedAsync(store, 1, 3);

        await store.PutEventsAsync([Event.Of(EventType.Input, a[0], e[0]), Event.Of(EventType.Input, a[0], e[1]), Event.Of(EventType.Input, a[0], e[2])]);

        (await store.GetEventsByExecutionIdsAsync([e[0], e[2]])).Select(x => x.ExecutionId).Should().BeEquivalentTo([e[0], e[2]]);
    }
    /// <summary>PutEvents round trips every event type.</summary>
    [Theory]
    [InlineData(EventType.DeclaredOutput)]
    [InlineData(EventType.DeclaredInput)]
    [InlineData(EventType.Input)]
    [InlineData(EventType.Output)]
    [InlineData(EventType.InternalInput)]
    [InlineData(EventType.InternalOutput)]
    [InlineData(EventType.PendingOutput)]
    public async Task PutEvents_round_trips_every_event_type(EventType type)
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e) = await SeedAsync(store, 1, 1);

        await store.PutEventsAsync([Event.Of(type, a[0], e[0])]);

        (await store.GetEventsByArtifactIdsAsync([a[0]])).Single().Type.Should().Be(type);
    }

    /// <summary>PutEvents succeeds when list is empty.</summary>
    [Fact]
    public async Task PutEvents_succeeds_when_list_is_empty()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (_, e) = await SeedAsync(store, 1, 1);

        await store.PutEventsAsync([]);

        (await store.GetEventsByExecutionIdsAsync([e[0]])).Should().BeEmpty();
    }
}
