using FluentAssertions;
using MetadataStore.Conformance;
using MetadataStore.Storage;
using Xunit;

namespace MetadataStore.Tests.Storage;

/// <summary>A SQLite file serves reads on their own connections beside the writer; they see committed data only.</summary>
public sealed class SqliteParallelReadTest
{
    private static readonly CancellationToken None = CancellationToken.None;

    // Only to turn a read queued behind the writer into a failure instead of a hang.
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ExecuteAsync_completes_reads_of_committed_rows_while_write_transaction_open_when_file()
    {
        using var db = new SqliteTestDatabase();
        await using var backend = await db.OpenBackendAsync();
        await backend.WriteAsync(tx => tx.InsertTypeAsync(new TypeRecord { Name = "Committed", Kind = TypeKind.Context }, None));
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var write = backend.ExecuteAsync(true, async (tx, ct) =>
        {
            await tx.InsertTypeAsync(new TypeRecord { Name = "Uncommitted", Kind = TypeKind.Context }, ct);
            inside.TrySetResult();
            await release.Task;
            return 0;
        }, None).AsTask();
        await inside.Task;

        var reads = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => backend.ReadAsync(tx => tx.GetTypesAsync(TypeKind.Context, new TypeQuery.All(), None))));
        var ended = await Task.WhenAny(reads, Task.Delay(HangBound));
        var writeOpenWhileRead = !write.IsCompleted;
        release.SetResult();
        await write;

        ended.Should().BeSameAs(reads, "reads must not wait for the open write transaction");
        writeOpenWhileRead.Should().BeTrue();
        foreach (var types in await reads)
        {
            types.Select(t => t.Name).Should().Contain("Committed").And.NotContain("Uncommitted");
        }

        var after = await backend.ReadAsync(tx => tx.GetTypesAsync(TypeKind.Context, new TypeQuery.All(), None));
        after.Select(t => t.Name).Should().Contain("Uncommitted");
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("Mode=ReadOnly", true)]
    [InlineData("Cache=Shared", false)]
    public async Task OpenAsync_starts_reader_pool_only_when_file_in_wal_mode_without_shared_cache(string extra, bool expected)
    {
        using var db = new SqliteTestDatabase();
        (await db.OpenBackendAsync()).Dispose();
        await using var backend = db.CreateBackend(extra.Length == 0 ? null : extra);
        await backend.OpenAsync(SchemaMode.CreateOrVerify, None);

        backend.HasReaderPool.Should().Be(expected);
        var types = await backend.ReadAsync(tx => tx.GetTypesAsync(TypeKind.Artifact, new TypeQuery.All(), None));
        types.Should().BeEmpty();
    }

    [Fact]
    public async Task OpenAsync_keeps_reads_on_the_one_connection_when_in_memory()
    {
        await using var backend = new MetadataStore.Storage.Sqlite.SqliteBackend(
            $"Data Source=pool-test-{Guid.NewGuid():N};Mode=Memory;Cache=Shared", Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await backend.OpenAsync(SchemaMode.CreateOrVerify, None);

        backend.HasReaderPool.Should().BeFalse();
    }
}
