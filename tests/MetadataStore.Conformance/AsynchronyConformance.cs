using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>Long calls hand back a pending task at once, and a token cancelled after that still cancels them.</summary>
public abstract class AsynchronyConformance(IStoreFactory factory) : IDisposable
{
    // Large enough that writing it takes far longer than returning the task and cancelling it.
    private const int LargeBatch = 100_000;

    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    private static Artifact[] Batch(long typeId, int count) =>
        Enumerable.Range(0, count).Select(i => Artifact.Of(typeId, "file:///a/" + i, "a" + i).With("p", i)).ToArray();

    /// <summary>PutArtifactsAsync returns a pending task when batch is large.</summary>
    [Fact]
    public async Task PutArtifactsAsync_returns_a_pending_task_when_batch_is_large()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("p", PropertyKind.Int));
        var batch = Batch(type.Id!.Value, LargeBatch);

        var task = store.PutArtifactsAsync(batch);
        var pendingOnReturn = !task.IsCompleted;
        var ids = await task;

        pendingOnReturn.Should().BeTrue("the call must not run the write on the caller's thread before returning");
        ids.Should().HaveCount(LargeBatch);
    }

    /// <summary>PutArtifactsAsync stores nothing when token cancelled after call returned.</summary>
    [Fact]
    public async Task PutArtifactsAsync_stores_nothing_when_token_cancelled_after_call_returned()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("p", PropertyKind.Int));
        await store.PutArtifactAsync(Artifact.Of(type.Id!.Value, "file:///seed", "seed").With("p", -1));
        var before = await store.SnapshotAsync();
        var batch = Batch(type.Id!.Value, LargeBatch);
        using var cts = new CancellationTokenSource();

        var task = store.PutArtifactsAsync(batch, cancellationToken: cts.Token);
        await cts.CancelAsync();

        await ((Func<Task>)(() => task)).Should().ThrowAsync<OperationCanceledException>();
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>GetArtifactsByIdAsync throws OperationCanceled when token cancelled after call returned.</summary>
    [Fact]
    public async Task GetArtifactsByIdAsync_throws_OperationCanceled_when_token_cancelled_after_call_returned()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("p", PropertyKind.Int));
        var ids = await store.PutArtifactsAsync(Batch(type.Id!.Value, 20_000));
        using var cts = new CancellationTokenSource();

        var task = store.GetArtifactsByIdAsync(ids, cts.Token);
        await cts.CancelAsync();

        await ((Func<Task>)(() => task)).Should().ThrowAsync<OperationCanceledException>();
        (await store.GetArtifactsByIdAsync(ids)).Should().HaveCount(ids.Count, "a cancelled read leaves the store usable");
    }
}
