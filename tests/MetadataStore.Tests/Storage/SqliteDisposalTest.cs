using FluentAssertions;
using MetadataStore.Conformance;
using Microsoft.Data.Sqlite;
using Xunit;

namespace MetadataStore.Tests.Storage;

/// <summary>Disposing a store while a long write runs and reads wait: every call ends, none with a provider exception.</summary>
public sealed class SqliteDisposalTest
{
    private const int Iterations = 30;
    private const int SeedCount = 10;
    private const int LargeBatch = 20_000;

    // Only to turn a hang into a failure; every call is expected to end within milliseconds of the disposal.
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispose_ends_running_queued_and_later_calls_with_ObjectDisposed_and_keeps_batch_whole(bool file)
    {
        using var db = new SqliteTestDatabase();
        var folder = Path.GetDirectoryName(db.Path)!;
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var path = Path.Combine(folder, $"race-{iteration}.db");
            var builder = new MetadataStoreBuilder();
            var store = await (file ? builder.UseSqliteFile(path) : builder.UseInMemorySqlite()).OpenAsync();
            var type = await store.AddArtifactTypeAsync(("p", PropertyKind.Int));
            var seed = await store.PutArtifactsAsync(Batch(type.Id!.Value, "seed", SeedCount));
            var batch = Batch(type.Id!.Value, "large", LargeBatch);

            var put = store.PutArtifactsAsync(batch);
            var reads = new List<Task>();
            for (var i = 0; i < 8; i++)
            {
                reads.Add(i % 2 == 0 ? store.GetArtifactsByIdAsync(seed) : store.ListArtifactsAsync());
            }

            // Dispose at different moments: before the write starts, early in it, and later on.
            await Task.Delay(iteration % 5 * 10);
            var disposal = iteration % 2 == 0 ? store.DisposeAsync().AsTask() : Task.Run(store.Dispose);
            Task[] calls = [put, .. reads, disposal];
            var all = Task.WhenAll(calls);
            (await Task.WhenAny(all, Task.Delay(HangBound))).Should().BeSameAs(all, "iteration {0}: every call must end after disposal", iteration);

            foreach (var call in calls)
            {
                ShouldEndWellOrDisposed(call, iteration);
            }

            disposal.IsCompletedSuccessfully.Should().BeTrue();
            var later = () => store.GetArtifactTypesAsync();
            (await later.Should().ThrowAsync<ObjectDisposedException>()).Which.ObjectName.Should().Be(nameof(IMetadataStore));

            if (file)
            {
                // Whatever committed is whole: the seed, and the large batch with every property or not at all.
                await using (await new MetadataStoreBuilder().UseSqliteFile(path).WithSchemaMode(SchemaMode.VerifyOnly).OpenAsync())
                {
                }

                var (artifacts, properties) = Count(path);
                var expected = put.IsCompletedSuccessfully ? SeedCount + LargeBatch : SeedCount;
                artifacts.Should().Be(expected, "iteration {0}: the put {1}", iteration, put.Status);
                properties.Should().Be(expected);
            }
        }
    }

    private static void ShouldEndWellOrDisposed(Task call, int iteration)
    {
        call.IsCanceled.Should().BeFalse("iteration {0}: no token was cancelled, so no call may end cancelled", iteration);
        if (call.Exception is { } error)
        {
            var inner = error.InnerException!;
            var acceptable = inner is MetadataStoreException
                || (inner is ObjectDisposedException disposed && disposed.ObjectName == nameof(IMetadataStore));
            acceptable.Should().BeTrue("iteration {0}: a call ended with {1}", iteration, inner);
        }
    }

    private static Artifact[] Batch(long typeId, string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => Artifact.Of(typeId, $"file:///{prefix}/{i}", $"{prefix}{i}").With("p", i)).ToArray();

    private static (long Artifacts, long Properties) Count(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """SELECT (SELECT count(*) FROM "Artifact"), (SELECT count(*) FROM "ArtifactProperty");""";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
