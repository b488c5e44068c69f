using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>Failed calls change nothing, batches are all or nothing, and cancelled calls write nothing.</summary>
public abstract class AtomicityConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    private static async Task<(ArtifactType Artifact, ExecutionType Execution, ContextType Context)> SeedAsync(IMetadataStore store)
    {
        var artifactType = await store.AddArtifactTypeAsync(("p", PropertyKind.Int));
        var executionType = await store.AddExecutionTypeAsync(("p", PropertyKind.Int));
        var contextType = await store.AddContextTypeAsync(("p", PropertyKind.Int));
        var artifactId = await store.PutArtifactAsync(Artifact.Of(artifactType.StoredId, "seed", "seed").With("p", 1));
        var executionId = await store.PutSingleExecutionAsync(Execution.Of(executionType.StoredId, ExecutionState.Running, "seed"));
        var contextId = await store.PutContextAsync(Context.Of(contextType.StoredId, "seed"));
        await store.PutEventsAsync([Event.Of(EventType.Input, artifactId, executionId)]);
        await store.PutAttributionsAndAssociationsAsync([new Attribution(contextId, artifactId)], [new Association(contextId, executionId)]);
        return (artifactType, executionType, contextType);
    }

    private static CancellationToken Cancelled() => new(canceled: true);

    /// <summary>PutArtifacts stores nothing when the last artifact is invalid.</summary>
    [Fact]
    public async Task PutArtifacts_stores_nothing_when_the_last_artifact_is_invalid()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutArtifactsAsync([Artifact.Of(t.Artifact.StoredId, "a"), Artifact.Of(t.Artifact.StoredId, "b"), Artifact.Of(t.Artifact.StoredId).With("p", "x")]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutArtifacts applies no update when a later insert fails.</summary>
    [Fact]
    public async Task PutArtifacts_applies_no_update_when_a_later_insert_fails()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedAsync(store);
        var seed = (await store.AllArtifactsAsync()).Single();
        var before = await store.SnapshotAsync();

        var act = () => store.PutArtifactsAsync([seed with { Uri = "changed" }, Artifact.Of(t.Artifact.StoredId, name: "seed")]);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutExecutions stores nothing when one update names an unknown id.</summary>
    [Fact]
    public async Task PutExecutions_stores_nothing_when_one_update_names_an_unknown_id()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutExecutionsAsync([Execution.Of(t.Execution.StoredId), Execution.Of(t.Execution.StoredId) with { Id = 123_456 }]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutContexts stores nothing when one context has no name.</summary>
    [Fact]
    public async Task PutContexts_stores_nothing_when_one_context_has_no_name()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutContextsAsync([Context.Of(t.Context.StoredId, "fine"), new Context { TypeId = t.Context.Id }]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutContexts stores nothing when one context has an unknown type name.</summary>
    [Fact]
    public async Task PutContexts_stores_nothing_when_one_context_has_an_unknown_type_name()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedAsync(store);
        var before = await store.SnapshotAsync();
        var missing = Some.TypeName();

        var act = () => store.PutContextsAsync([Context.Of(t.Context.StoredId, "fine"), Context.Of(missing, "other")]);

        (await act.ShouldFailWith(MetadataErrorCode.NotFound)).Message.Should().Contain(missing);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutEvents stores nothing when one event duplicates a stored one.</summary>
    [Fact]
    public async Task PutEvents_stores_nothing_when_one_event_duplicates_a_stored_one()
    {
        await using var store = await factory.OpenEmptyAsync();
        await SeedAsync(store);
        var artifactId = (await store.AllArtifactsAsync()).Single().StoredId;
        var executionId = (await store.AllExecutionsAsync()).Single().StoredId;
        var before = await store.SnapshotAsync();

        var act = () => store.PutEventsAsync([Event.Of(EventType.Output, artifactId, executionId), Event.Of(EventType.Input, artifactId, executionId)]);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutArtifactType changes nothing when it fails.</summary>
    [Fact]
    public async Task PutArtifactType_changes_nothing_when_it_fails()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutArtifactTypeAsync(t.Artifact.WithProperty("q", PropertyKind.Int).WithProperty("p", PropertyKind.Double), new PutTypeOptions { CanAddFields = true });

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>Store stays usable after a failed call.</summary>
    [Fact]
    public async Task Store_stays_usable_after_a_failed_call()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedAsync(store);
        await ((Func<Task>)(() => store.PutArtifactsAsync([Artifact.Of(t.Artifact.StoredId, name: "seed")]))).ShouldFailWith(MetadataErrorCode.AlreadyExists);

        var id = await store.PutArtifactAsync(Artifact.Of(t.Artifact.StoredId, name: "next"));

        (await store.GetArtifactAsync(id)).Name.Should().Be("next");
    }

    /// <summary>PutArtifacts throws OperationCanceled and writes nothing when token is cancelled.</summary>
    [Fact]
    public async Task PutArtifacts_throws_OperationCanceled_and_writes_nothing_when_token_is_cancelled()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutArtifactsAsync([Artifact.Of(t.Artifact.StoredId, "x")], null, Cancelled());

        await act.Should().ThrowAsync<OperationCanceledException>();
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutArtifactType throws OperationCanceled and writes nothing when token is cancelled.</summary>
    [Fact]
    public async Task PutArtifactType_throws_OperationCanceled_and_writes_nothing_when_token_is_cancelled()
    {
        await using var store = await factory.OpenEmptyAsync();
        await SeedAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutArtifactTypeAsync(Some.ArtifactType(), null, Cancelled());

        await act.Should().ThrowAsync<OperationCanceledException>();
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutExecution throws OperationCanceled and writes nothing when token is cancelled.</summary>
    [Fact]
    public async Task PutExecution_throws_OperationCanceled_and_writes_nothing_when_token_is_cancelled()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutExecutionAsync(
            Execution.Of(t.Execution.StoredId),
            [new(Artifact.Of(t.Artifact.StoredId), Event.Of(EventType.Output))],
            [Context.Of(t.Context.StoredId, "c")],
            null,
            Cancelled());

        await act.Should().ThrowAsync<OperationCanceledException>();
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutLineageSubgraph throws OperationCanceled and writes nothing when token is cancelled.</summary>
    [Fact]
    public async Task PutLineageSubgraph_throws_OperationCanceled_and_writes_nothing_when_token_is_cancelled()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutLineageSubgraphAsync([Execution.Of(t.Execution.StoredId)], [Artifact.Of(t.Artifact.StoredId)], [], [new(0, 0, Event.Of(EventType.Input))], null, Cancelled());

        await act.Should().ThrowAsync<OperationCanceledException>();
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutEvents and PutParentContexts throw OperationCanceled when token is cancelled.</summary>
    [Fact]
    public async Task PutEvents_and_PutParentContexts_throw_OperationCanceled_when_token_is_cancelled()
    {
        await using var store = await factory.OpenEmptyAsync();
        var t = await SeedAsync(store);
        var artifactId = (await store.AllArtifactsAsync()).Single().StoredId;
        var executionId = (await store.AllExecutionsAsync()).Single().StoredId;
        var contextIds = await store.PutContextsAsync([Context.Of(t.Context.StoredId, "a"), Context.Of(t.Context.StoredId, "b")]);
        var before = await store.SnapshotAsync();

        await ((Func<Task>)(() => store.PutEventsAsync([Event.Of(EventType.Output, artifactId, executionId)], Cancelled()))).Should().ThrowAsync<OperationCanceledException>();
        await ((Func<Task>)(() => store.PutParentContextsAsync([new ParentContext(contextIds[0], contextIds[1])], Cancelled()))).Should().ThrowAsync<OperationCanceledException>();
        await ((Func<Task>)(() => store.PutAttributionsAndAssociationsAsync([new Attribution(contextIds[0], artifactId)], [], Cancelled()))).Should().ThrowAsync<OperationCanceledException>();
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>Reads throw OperationCanceled when token is cancelled.</summary>
    [Fact]
    public async Task Reads_throw_OperationCanceled_when_token_is_cancelled()
    {
        await using var store = await factory.OpenEmptyAsync();
        await SeedAsync(store);

        await ((Func<Task>)(() => store.ListArtifactsAsync(null, Cancelled()))).Should().ThrowAsync<OperationCanceledException>();
        await ((Func<Task>)(() => store.GetArtifactTypesAsync(Cancelled()))).Should().ThrowAsync<OperationCanceledException>();
        await ((Func<Task>)(() => store.GetArtifactsByIdAsync([1], Cancelled()))).Should().ThrowAsync<OperationCanceledException>();
    }
}
