using System.Security.Cryptography;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using Xunit;

namespace MetadataStore.Tests.Storage;

/// <summary>
/// Damaged store files, opened and used through the public API: every failure is a <see cref="MetadataStoreException"/>
/// (DataLoss for damage), never a provider exception, and a refused open or call leaves the files byte-identical.
/// Each case states where SQLite notices the damage: at open, at the first read or write, or not at all.
/// </summary>
public sealed class SqliteCorruptionTest
{
    private const int PageSize = 4096;
    private const int WalHeaderSize = 32;
    private const int WalFrameSize = 24 + PageSize;
    private const int WalTransactions = 10;

    private static readonly Lazy<Task<CleanStore>> Clean = new(BuildCleanStoreAsync);
    private static readonly Lazy<Task<CleanStore>> CleanWithLog = new(BuildCleanStoreWithLogAsync);

    /// <summary>What happens at each step; Ok means SQLite cannot see the damage there.</summary>
    public enum Outcome
    {
        Ok,
        DataLoss,
        FailedPrecondition,
    }

    public static TheoryData<string> MainFileCases => new(MainFileDamage.Keys);

    public static TheoryData<string> LogCases => new(LogTruncation.Keys);

    // (damage, open, read, write). A page is damaged only where the read or the write must go through it.
    private static readonly Dictionary<string, (Func<CleanStore, byte[]> Damage, Outcome Open, Outcome Read, Outcome Write)> MainFileDamage = new()
    {
        // The header's magic string is gone: SQLITE_NOTADB on the first read of the schema.
        ["random bytes"] = (c => RandomBytes(8 * PageSize, seed: 1), Outcome.DataLoss, Outcome.DataLoss, Outcome.DataLoss),
        ["truncated inside the header"] = (c => c.Bytes[..50], Outcome.DataLoss, Outcome.DataLoss, Outcome.DataLoss),

        // The header is whole but the schema page behind it is missing or cut.
        ["truncated after the header"] = (c => c.Bytes[..100], Outcome.DataLoss, Outcome.DataLoss, Outcome.DataLoss),
        ["truncated after the first page"] = (c => c.Bytes[..PageSize], Outcome.DataLoss, Outcome.DataLoss, Outcome.DataLoss),

        // The header records the page count, and SQLite refuses a file shorter than that on its first read.
        ["truncated mid-file"] = (c => c.Bytes[..(c.Bytes.Length / 2 / PageSize * PageSize)], Outcome.DataLoss, Outcome.DataLoss, Outcome.DataLoss),
        ["truncated mid-page"] = (c => c.Bytes[..((c.Bytes.Length / 2) + 1000)], Outcome.DataLoss, Outcome.DataLoss, Outcome.DataLoss),
        ["last page missing"] = (c => c.Bytes[..^PageSize], Outcome.DataLoss, Outcome.DataLoss, Outcome.DataLoss),

        // The last page is the end of the last artifact's long property: plain payload bytes, no structure. SQLite keeps
        // no checksums, so it cannot notice: the value reads back changed, and the store goes on.
        ["payload page overwritten"] = (c => Overwrite(c.Bytes, c.Bytes.Length - PageSize + 8, RandomBytes(PageSize - 8, seed: 6)), Outcome.Ok, Outcome.Ok, Outcome.Ok),

        ["header overwritten"] = (c => Overwrite(c.Bytes, 0, RandomBytes(100, seed: 2)), Outcome.DataLoss, Outcome.DataLoss, Outcome.DataLoss),
        ["schema page overwritten"] = (c => Overwrite(c.Bytes, 100, RandomBytes(PageSize - 100, seed: 3)), Outcome.DataLoss, Outcome.DataLoss, Outcome.DataLoss),

        // Opening reads the Type table to see whether MLMD's system types are there.
        ["Type table page zeroed"] = (c => Overwrite(c.Bytes, (c.TypeRootPage - 1) * PageSize, new byte[PageSize]), Outcome.DataLoss, Outcome.DataLoss, Outcome.DataLoss),

        // Neither the open nor a listing touches the URI index; inserting an artifact must update it.
        ["index page overwritten"] = (c => Overwrite(c.Bytes, (c.UriIndexRootPage - 1) * PageSize, RandomBytes(PageSize, seed: 4)), Outcome.Ok, Outcome.Ok, Outcome.DataLoss),

        ["data page overwritten"] = (c => Overwrite(c.Bytes, (c.ArtifactRootPage - 1) * PageSize, RandomBytes(PageSize, seed: 5)), Outcome.Ok, Outcome.DataLoss, Outcome.DataLoss),
    };

    // How many bytes of the log are kept (given the end offsets of its committed transactions), and how many of its
    // transactions SQLite still sees. SQLite replays the log up to the last whole committed transaction, by design, so
    // a cut log is never noticed: the store opens with the transactions before the cut, and writing goes on from there.
    private static readonly Dictionary<string, (Func<int[], int> Keep, int Visible)> LogTruncation = new()
    {
        ["log truncated inside its header"] = (commits => 16, 0),
        ["log truncated after its header"] = (commits => WalHeaderSize, 0),
        ["log truncated mid-frame"] = (commits => commits[2] + 100, 3),
        ["log truncated at a frame inside a transaction"] = (commits => commits[5] + WalFrameSize, 6),
        ["log missing its last bytes"] = (commits => commits[^1] - 100, WalTransactions - 1),
    };

    [Theory]
    [MemberData(nameof(MainFileCases))]
    public async Task Damaged_file_gives_DataLoss_or_opens_and_stays_byte_identical(string damage)
    {
        var clean = await Clean.Value;
        var (makeDamage, expectedOpen, expectedRead, expectedWrite) = MainFileDamage[damage];
        using var folder = new SqliteTestDatabase();
        File.WriteAllBytes(folder.Path, makeDamage(clean));
        var before = Snapshot(folder.Path);

        var (open, read, write) = await OpenReadWriteAsync(folder.Path);

        (open, read, write).Should().Be((expectedOpen, expectedRead, expectedWrite), because: $"the damage is '{damage}'");
        if (write == Outcome.Ok)
        {
            // The write went through: the file changed, as it should, and the store still reads what it read.
            return;
        }

        Snapshot(folder.Path).Should().Equal(before, because: "a refused open or a failed call writes nothing");
    }

    [Theory]
    [MemberData(nameof(LogCases))]
    public async Task Truncated_log_opens_with_the_transactions_before_the_cut(string damage)
    {
        var clean = await CleanWithLog.Value;
        var (keep, visible) = LogTruncation[damage];
        using var folder = new SqliteTestDatabase();
        File.WriteAllBytes(folder.Path, clean.Bytes);
        File.WriteAllBytes(folder.Path + "-wal", clean.Log![..keep(CommitEnds(clean.Log!))]);

        // The main file is not compared: closing the store checkpoints the log into it, as SQLite always does.
        await using (var store = await new MetadataStoreBuilder().UseSqliteFile(folder.Path).OpenAsync())
        {
            (await LogArtifactNamesAsync(store)).Should().Equal(Enumerable.Range(0, visible).Select(i => $"log-{i}"));
            await store.PutArtifactsAsync([Artifact.Of(clean.TypeId, "file:///after", "after-cut")]);
        }

        await using var reopened = await new MetadataStoreBuilder().UseSqliteFile(folder.Path).OpenAsync();
        (await LogArtifactNamesAsync(reopened)).Should().Equal(Enumerable.Range(0, visible).Select(i => $"log-{i}"));
        (await reopened.EnumerateArtifactsAsync().CountAsync()).Should().Be(clean.ArtifactCount + visible + 1);
    }

    [Fact]
    public async Task Refused_open_of_a_store_with_an_unmerged_log_leaves_file_and_log_byte_identical()
    {
        var clean = await CleanWithLog.Value;
        using var folder = new SqliteTestDatabase();
        File.WriteAllBytes(folder.Path, clean.Bytes);
        File.WriteAllBytes(folder.Path + "-wal", clean.Log!);

        // The last transaction in the log set a newer schema version, so the open is refused after reading the log.
        using (var connection = new SqliteConnection(folder.ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_autocheckpoint = 0; UPDATE MLMDEnv SET schema_version = 11;";
            command.ExecuteNonQuery();
            SQLitePCL.raw.sqlite3_db_config(connection.Handle, 1006, 1, out _); // keep the log on close
        }

        var db = File.ReadAllBytes(folder.Path);
        var log = File.ReadAllBytes(folder.Path + "-wal");
        log.Length.Should().BeGreaterThan(clean.Log!.Length);

        var act = () => new MetadataStoreBuilder().UseSqliteFile(folder.Path).OpenAsync();

        (await act.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);

        // Closing would have checkpointed the log into the file and deleted it; a refused open must not. SQLite may
        // leave its -shm index beside them, which holds no data and is rebuilt from the log by the next opener.
        File.ReadAllBytes(folder.Path).Should().Equal(db);
        File.ReadAllBytes(folder.Path + "-wal").Should().Equal(log);
    }

    private static async Task<(Outcome Open, Outcome Read, Outcome Write)> OpenReadWriteAsync(string path)
    {
        IMetadataStore store;
        try
        {
            store = await new MetadataStoreBuilder().UseSqliteFile(path).OpenAsync();
        }
        catch (MetadataStoreException ex)
        {
            var refused = OutcomeOf(ex);

            // Without an open store there is no first use: every step is the open's refusal.
            return (refused, refused, refused);
        }

        await using (store)
        {
            var read = await StepAsync(async () =>
            {
                await store.GetArtifactTypesAsync();
                await foreach (var artifact in store.EnumerateArtifactsAsync())
                {
                    _ = artifact.Properties.Count;
                }

                await store.EnumerateExecutionsAsync().CountAsync();
                await store.EnumerateContextsAsync().CountAsync();
            });
            var write = await StepAsync(async () =>
            {
                var type = (await store.GetArtifactTypesAsync()).FirstOrDefault(t => t.Name == "Data")?.Id ?? 1;
                await store.PutArtifactsAsync([Artifact.Of(type, "file:///new", "new")]);
            });
            return (Outcome.Ok, read, write);
        }
    }

    private static async Task<Outcome> StepAsync(Func<Task> step)
    {
        try
        {
            await step();
            return Outcome.Ok;
        }
        catch (MetadataStoreException ex)
        {
            return OutcomeOf(ex);
        }
    }

    private static Outcome OutcomeOf(MetadataStoreException ex) => ex.ErrorCode switch
    {
        MetadataErrorCode.DataLoss => Outcome.DataLoss,
        MetadataErrorCode.FailedPrecondition => Outcome.FailedPrecondition,
        _ => throw new InvalidOperationException($"A damaged file gave {ex.ErrorCode}: {ex.Message}", ex),
    };

    private static async Task<List<string>> LogArtifactNamesAsync(IMetadataStore store)
    {
        var names = new List<string>();
        await foreach (var artifact in store.EnumerateArtifactsAsync())
        {
            if (artifact.Name?.StartsWith("log-", StringComparison.Ordinal) == true)
            {
                names.Add(artifact.Name);
            }
        }

        return names;
    }

    /// <summary>The offsets just past each commit frame of a log (a frame whose header holds the database size).</summary>
    private static int[] CommitEnds(byte[] log)
    {
        var ends = new List<int>();
        for (var offset = WalHeaderSize; offset + WalFrameSize <= log.Length; offset += WalFrameSize)
        {
            if (System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(log.AsSpan(offset + 4, 4)) != 0)
            {
                ends.Add(offset + WalFrameSize);
            }
        }

        return [.. ends];
    }

    private static Dictionary<string, string> Snapshot(string path) =>
        Directory.GetFiles(Path.GetDirectoryName(path)!)
            .ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Overwrite(byte[] bytes, int offset, byte[] with)
    {
        var copy = (byte[])bytes.Clone();
        with.CopyTo(copy, offset);
        return copy;
    }

    private static async Task<long> FillAsync(IMetadataStore store)
    {
        var type = await store.PutArtifactTypeAsync(ArtifactType.Named("Data").WithProperty("split", PropertyKind.String).WithProperty("n", PropertyKind.Int));
        var artifacts = Enumerable.Range(0, 2000)
            .Select(i => Artifact.Of(type, $"file:///data/{i}", $"a-{i}").With("split", i % 2 == 0 ? "train" : "test").With("n", i))
            .ToList();
        await store.PutArtifactsAsync(artifacts);
        var trainer = await store.PutExecutionTypeAsync(ExecutionType.Named("Trainer"));
        await store.PutExecutionsAsync(Enumerable.Range(0, 200).Select(i => Execution.Of(trainer, ExecutionState.Complete, $"run-{i}")).ToList());
        var experiment = await store.PutContextTypeAsync(ContextType.Named("Experiment"));
        await store.PutContextsAsync(Enumerable.Range(0, 50).Select(i => Context.Of(experiment, $"exp-{i}")).ToList());

        // Last, so that its overflow pages end the file.
        await store.PutArtifactsAsync([Artifact.Of(type, "file:///data/last", "last").With("split", new string('x', 3 * PageSize))]);
        return type;
    }

    private static async Task<CleanStore> BuildCleanStoreAsync()
    {
        using var folder = new SqliteTestDatabase();
        long type;
        await using (var store = await new MetadataStoreBuilder().UseSqliteFile(folder.Path).OpenAsync())
        {
            type = await FillAsync(store);
        }

        File.Exists(folder.Path + "-wal").Should().BeFalse("closing the store merges the log into the file");
        return Describe(folder, File.ReadAllBytes(folder.Path), log: null, type, artifactCount: 2001);
    }

    private static async Task<CleanStore> BuildCleanStoreWithLogAsync()
    {
        using var folder = new SqliteTestDatabase();
        long type;
        await using (var store = await new MetadataStoreBuilder().UseSqliteFile(folder.Path).OpenAsync())
        {
            type = await FillAsync(store);
        }

        // Copy the file and its log while a writer holds them, as after a crash: the log holds one transaction per artifact.
        using var writer = new SqliteConnection(folder.ConnectionString);
        writer.Open();
        SQLitePCL.raw.sqlite3_db_config(writer.Handle, 1006, 1, out _); // keep the log on close
        for (var i = 0; i < WalTransactions; i++)
        {
            using var command = writer.CreateCommand();
            command.CommandText = $"""
                INSERT INTO Artifact (type_id, uri, name, create_time_since_epoch, last_update_time_since_epoch)
                VALUES ({type}, 'file:///log/{i}', 'log-{i}', 1, 1);
                """;
            command.ExecuteNonQuery();
        }

        var bytes = File.ReadAllBytes(folder.Path);
        var log = File.ReadAllBytes(folder.Path + "-wal");
        CommitEnds(log).Should().HaveCount(WalTransactions, "each insert is one committed transaction in the log");
        return Describe(folder, bytes, log, type, artifactCount: 2001);
    }

    private static CleanStore Describe(SqliteTestDatabase folder, byte[] bytes, byte[]? log, long type, int artifactCount)
    {
        var roots = folder.Query("SELECT name, rootpage FROM sqlite_master WHERE name IN ('Artifact', 'Type', 'idx_artifact_uri')")
            .ToDictionary(r => (string)r[0]!, r => (int)(long)r[1]!);
        return new CleanStore(bytes, log, type, artifactCount, roots["Artifact"], roots["Type"], roots["idx_artifact_uri"]);
    }

    public sealed record CleanStore(byte[] Bytes, byte[]? Log, long TypeId, int ArtifactCount, int ArtifactRootPage, int TypeRootPage, int UriIndexRootPage);
}
