using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>Create and last update times, and the optimistic update check.</summary>
public abstract class TimestampConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    private readonly ManualClock _clock = new();

    private void ClockTick() => _clock.Advance();

    /// <summary>PutArtifacts sets create and update times on insert.</summary>
    [Fact]
    public async Task PutArtifacts_sets_create_and_update_times_on_insert()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var type = await store.AddArtifactTypeAsync();
        var now = _clock.GetUtcNow();

        var stored = await store.GetArtifactAsync(await store.PutArtifactAsync(Artifact.Of(type.StoredId)));

        stored.CreateTime.Should().Be(now);
        stored.LastUpdateTime.Should().Be(now);
    }

    /// <summary>Store reads the injected clock for create update and event times.</summary>
    [Fact]
    public async Task Store_reads_the_injected_clock_for_create_update_and_event_times()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var t = await store.AddExecutionTypeAsync();
        var a = await store.AddArtifactTypeAsync();
        var created = _clock.GetUtcNow();
        var executionId = await store.PutSingleExecutionAsync(Execution.Of(t.StoredId, ExecutionState.Running));
        var artifactId = await store.PutArtifactAsync(Artifact.Of(a.StoredId, "u"));
        _clock.Advance(TimeSpan.FromHours(1));

        await store.PutSingleExecutionAsync((await store.GetExecutionAsync(executionId)) with { LastKnownState = ExecutionState.Complete });
        await store.PutEventsAsync([Event.Of(EventType.Output, artifactId, executionId)]);

        var execution = await store.GetExecutionAsync(executionId);
        execution.CreateTime.Should().Be(created);
        execution.LastUpdateTime.Should().Be(created.AddHours(1));
        (await store.GetEventsByExecutionIdsAsync([executionId])).Single().Time.Should().Be(created.AddHours(1));
    }

    /// <summary>PutArtifacts keeps last update time when the update changes nothing.</summary>
    [Fact]
    public async Task PutArtifacts_keeps_last_update_time_when_the_update_changes_nothing()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var type = await store.AddArtifactTypeAsync(("p", PropertyKind.Int));
        var id = await store.PutArtifactAsync((Artifact.Of(type.StoredId, "u", "n") with { State = ArtifactState.Live, ExternalId = "e" }).With("p", 1).WithCustom("c", "x"));
        var first = await store.GetArtifactAsync(id);
        ClockTick();

        await store.PutArtifactAsync(first);

        (await store.GetArtifactAsync(id)).LastUpdateTime.Should().Be(first.LastUpdateTime);
    }

    /// <summary>PutExecutions keeps last update time when the update changes nothing.</summary>
    [Fact]
    public async Task PutExecutions_keeps_last_update_time_when_the_update_changes_nothing()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var type = await store.AddExecutionTypeAsync(("p", PropertyKind.Double));
        var id = await store.PutSingleExecutionAsync(Execution.Of(type.StoredId, ExecutionState.Running).With("p", 0.5));
        var first = await store.GetExecutionAsync(id);
        ClockTick();

        await store.PutSingleExecutionAsync(first);

        (await store.GetExecutionAsync(id)).LastUpdateTime.Should().Be(first.LastUpdateTime);
    }

    /// <summary>PutContexts keeps last update time when the update changes nothing.</summary>
    [Fact]
    public async Task PutContexts_keeps_last_update_time_when_the_update_changes_nothing()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var type = await store.AddContextTypeAsync();
        var id = await store.PutContextAsync(Context.Of(type.StoredId, "c").WithCustom("k", true));
        var first = await store.GetContextAsync(id);
        ClockTick();

        await store.PutContextAsync(first);

        (await store.GetContextAsync(id)).LastUpdateTime.Should().Be(first.LastUpdateTime);
    }

    /// <summary>PutArtifacts keeps last update time when masked fields are unchanged.</summary>
    [Fact]
    public async Task PutArtifacts_keeps_last_update_time_when_masked_fields_are_unchanged()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId, "u"));
        var first = await store.GetArtifactAsync(id);
        ClockTick();

        await store.PutArtifactAsync(new Artifact { Id = id, Uri = "u" }, new PutNodesOptions { FieldMask = ["uri"] });

        (await store.GetArtifactAsync(id)).LastUpdateTime.Should().Be(first.LastUpdateTime);
    }

    /// <summary>PutArtifacts advances last update time and keeps create time when an attribute changes.</summary>
    [Fact]
    public async Task PutArtifacts_advances_last_update_time_and_keeps_create_time_when_an_attribute_changes()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId, "u"));
        var first = await store.GetArtifactAsync(id);
        ClockTick();

        await store.PutArtifactAsync(first with { State = ArtifactState.Live });

        var second = await store.GetArtifactAsync(id);
        second.LastUpdateTime.Should().BeAfter(first.LastUpdateTime!.Value);
        second.CreateTime.Should().Be(first.CreateTime);
    }

    /// <summary>PutArtifacts advances last update time when only a custom property changes.</summary>
    [Fact]
    public async Task PutArtifacts_advances_last_update_time_when_only_a_custom_property_changes()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId).WithCustom("c", 1));
        var first = await store.GetArtifactAsync(id);
        ClockTick();

        await store.PutArtifactAsync(first.WithCustom("c", 2));

        (await store.GetArtifactAsync(id)).LastUpdateTime.Should().BeAfter(first.LastUpdateTime!.Value);
    }

    /// <summary>PutExecutions advances last update time when a property is deleted.</summary>
    [Fact]
    public async Task PutExecutions_advances_last_update_time_when_a_property_is_deleted()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var type = await store.AddExecutionTypeAsync(("p", PropertyKind.Int));
        var id = await store.PutSingleExecutionAsync(Execution.Of(type.StoredId).With("p", 1));
        var first = await store.GetExecutionAsync(id);
        ClockTick();

        await store.PutSingleExecutionAsync(first with { Properties = new Dictionary<string, PropertyValue>() });

        (await store.GetExecutionAsync(id)).LastUpdateTime.Should().BeAfter(first.LastUpdateTime!.Value);
    }

    /// <summary>PutContexts advances last update time when renamed.</summary>
    [Fact]
    public async Task PutContexts_advances_last_update_time_when_renamed()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var type = await store.AddContextTypeAsync();
        var id = await store.PutContextAsync(Context.Of(type.StoredId, "a"));
        var first = await store.GetContextAsync(id);
        ClockTick();

        await store.PutContextAsync(first with { Name = "b" });

        (await store.GetContextAsync(id)).LastUpdateTime.Should().BeAfter(first.LastUpdateTime!.Value);
    }

    /// <summary>PutExecution keeps last update time when nothing changed and ForceUpdateTime is off.</summary>
    [Fact]
    public async Task PutExecution_keeps_last_update_time_when_nothing_changed_and_ForceUpdateTime_is_off()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var type = await store.AddExecutionTypeAsync();
        var id = await store.PutSingleExecutionAsync(Execution.Of(type.StoredId, ExecutionState.Complete));
        var first = await store.GetExecutionAsync(id);
        ClockTick();

        await store.PutExecutionAsync(first, [], []);

        (await store.GetExecutionAsync(id)).LastUpdateTime.Should().Be(first.LastUpdateTime);
    }

    /// <summary>PutExecution advances last update time when ForceUpdateTime is on.</summary>
    [Fact]
    public async Task PutExecution_advances_last_update_time_when_ForceUpdateTime_is_on()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var type = await store.AddExecutionTypeAsync();
        var id = await store.PutSingleExecutionAsync(Execution.Of(type.StoredId, ExecutionState.Complete));
        var first = await store.GetExecutionAsync(id);
        ClockTick();

        await store.PutExecutionAsync(first, [], [], new PutExecutionOptions { ForceUpdateTime = true });

        var second = await store.GetExecutionAsync(id);
        second.LastUpdateTime.Should().BeAfter(first.LastUpdateTime!.Value);
        second.CreateTime.Should().Be(first.CreateTime);
    }

    /// <summary>PutArtifacts throws FailedPrecondition when optimistic check sees a newer update.</summary>
    [Fact]
    public async Task PutArtifacts_throws_FailedPrecondition_when_optimistic_check_sees_a_newer_update()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId) with { State = ArtifactState.Pending });
        var stale = await store.GetArtifactAsync(id);
        ClockTick();
        await store.PutArtifactAsync(stale with { State = ArtifactState.Live });
        var before = await store.SnapshotAsync();

        var act = () => store.PutArtifactsAsync([stale with { State = ArtifactState.Abandoned }], new PutNodesOptions { AbortIfLastUpdateTimeChanged = true });

        (await act.ShouldFailWith(MetadataErrorCode.FailedPrecondition)).Message.Should().Contain(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutArtifacts updates when optimistic check sees the time it was given.</summary>
    [Fact]
    public async Task PutArtifacts_updates_when_optimistic_check_sees_the_time_it_was_given()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId) with { State = ArtifactState.Pending });
        var fresh = await store.GetArtifactAsync(id);

        await store.PutArtifactAsync(fresh with { State = ArtifactState.Live }, new PutNodesOptions { AbortIfLastUpdateTimeChanged = true });

        var stored = await store.GetArtifactAsync(id);
        stored.State.Should().Be(ArtifactState.Live);
        stored.LastUpdateTime.Should().BeAfter(fresh.LastUpdateTime!.Value);
    }

    /// <summary>PutArtifacts throws FailedPrecondition when second writer uses the same read.</summary>
    [Fact]
    public async Task PutArtifacts_throws_FailedPrecondition_when_second_writer_uses_the_same_read()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId) with { State = ArtifactState.Pending });
        var read = await store.GetArtifactAsync(id);
        var options = new PutNodesOptions { AbortIfLastUpdateTimeChanged = true };

        await store.PutArtifactAsync(read with { State = ArtifactState.Live }, options);
        var act = () => store.PutArtifactsAsync([read with { State = ArtifactState.Abandoned }], options);

        await act.ShouldFailWith(MetadataErrorCode.FailedPrecondition);
        (await store.GetArtifactAsync(id)).State.Should().Be(ArtifactState.Live);
    }

    /// <summary>PutExecutions throws FailedPrecondition when optimistic check sees a newer update.</summary>
    [Fact]
    public async Task PutExecutions_throws_FailedPrecondition_when_optimistic_check_sees_a_newer_update()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var type = await store.AddExecutionTypeAsync();
        var id = await store.PutSingleExecutionAsync(Execution.Of(type.StoredId, ExecutionState.New));
        var stale = await store.GetExecutionAsync(id);
        ClockTick();
        await store.PutSingleExecutionAsync(stale with { LastKnownState = ExecutionState.Running });

        var act = () => store.PutExecutionsAsync([stale with { LastKnownState = ExecutionState.Failed }], new PutNodesOptions { AbortIfLastUpdateTimeChanged = true });

        await act.ShouldFailWith(MetadataErrorCode.FailedPrecondition);
        (await store.GetExecutionAsync(id)).LastKnownState.Should().Be(ExecutionState.Running);
    }

    /// <summary>PutArtifacts rolls back the batch when one optimistic check fails.</summary>
    [Fact]
    public async Task PutArtifacts_rolls_back_the_batch_when_one_optimistic_check_fails()
    {
        await using var store = await factory.OpenEmptyAsync(_clock);
        var type = await store.AddArtifactTypeAsync();
        var ids = await store.PutArtifactsAsync([Artifact.Of(type.StoredId, "a0"), Artifact.Of(type.StoredId, "b0")]);
        var a = await store.GetArtifactAsync(ids[0]);
        var staleB = await store.GetArtifactAsync(ids[1]);
        ClockTick();
        await store.PutArtifactAsync(staleB with { State = ArtifactState.Live });
        var before = await store.SnapshotAsync();

        var act = () => store.PutArtifactsAsync([a with { State = ArtifactState.Live }, staleB with { State = ArtifactState.Deleted }, Artifact.Of(type.StoredId, "new")], new PutNodesOptions { AbortIfLastUpdateTimeChanged = true });

        await act.ShouldFailWith(MetadataErrorCode.FailedPrecondition);
        await store.ShouldBeUnchangedSinceAsync(before);
    }
}
