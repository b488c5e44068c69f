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
        types.Select(t => t.Name).Should().Equal("mlmd.Dataset", "mlmd.Model", "mlmd.Metrics", "mlmd.Statistics");
    }

    [Fact]
    public async Task OpenAsync_keeps_reads_on_the_one_connection_when_in_memory()
    {
        await using var backend = new MetadataStore.Storage.Sqlite.SqliteBackend(
            $"Data Source=pool-test-{Guid.NewGuid():N};Mode=Memory;Cache=Shared", Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await backend.OpenAsync(SchemaMode.CreateOrVerify, None);

        backend.HasReaderPool.Should().BeFalse();
    }

    [Fact]
    public async Task Reads_see_whole_batches_only_while_another_task_writes_when_file()
    {
        const int Batches = 20;
        const int PerBatch = 50;
        var factory = new FileSqliteFactory();
        try
        {
            await using var store = await factory.OpenEmptyAsync();
            var type = await store.AddArtifactTypeAsync(("p", PropertyKind.Int));
            var writer = Task.Run(async () =>
            {
                for (var b = 0; b < Batches; b++)
                {
                    await store.PutArtifactsAsync(Enumerable.Range(0, PerBatch).Select(i => Artifact.Of(type.Id!.Value, name: $"b{b}-{i}").With("p", i)).ToArray());
                }
            });

            var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                var seen = new List<int>();
                while (true)
                {
                    // The last read starts after the writer ended, so it must see every batch.
                    var writerDone = writer.IsCompleted;
                    var page = await store.ListArtifactsAsync(new NodeListOptions { PageSize = NodeListOptions.MaxPageSize });
                    seen.Add(page.Items.Count);
                    page.Items.Where(a => !a.Properties.ContainsKey("p")).Should().BeEmpty("a node is committed with its properties");
                    if (writerDone)
                    {
                        break;
                    }
                }

                return seen;
            })).ToArray();

            await writer;
            foreach (var seen in await Task.WhenAll(readers))
            {
                seen.Should().OnlyContain(count => count % PerBatch == 0, "a read sees whole committed batches");
                seen.Should().BeInAscendingOrder("a later read never sees less than an earlier one");
                seen[^1].Should().Be(Batches * PerBatch);
            }
        }
        finally
        {
            factory.Dispose();
        }
    }
}
