using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MetadataStore.Benchmarks;

/// <summary>Experiment: 100 random point reads at 10k and 1M by memory map size, library and raw SQL.</summary>
internal static class PointReadSweep
{
    private const int Reads = 100;
    private const int WarmUps = 60;
    private const int Reps = 31;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(BenchFiles files)
    {
        var small = ScaleStore.Ensure(files.Template, 10_000, QuickRunner.Progress);
        var large = ScaleStore.Ensure(files.Template, 1_000_000, QuickRunner.Progress);
        foreach (var path in new[] { small, large })
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
            var buffer = new byte[1 << 20];
            while (file.Read(buffer, 0, buffer.Length) > 0)
            {
            }
        }

        using (var probe = new SqliteConnection($"Data Source={large};Mode=ReadOnly;Pooling=False"))
        {
            probe.Open();
            using var command = probe.CreateCommand();
            command.CommandText = "PRAGMA mmap_size = 1099511627776; PRAGMA mmap_size;";
            command.ExecuteNonQuery();
            command.CommandText = "PRAGMA mmap_size;";
            QuickRunner.Progress($"mmap_size after asking for 1 TiB: {command.ExecuteScalar()} (sqlite {probe.ServerVersion})");
        }

        var sizes = (Environment.GetEnvironmentVariable("SWEEP_MMAP") ?? "0,268435456,1073741824,2147483647")
            .Split(',').Select(s => long.Parse(s, Inv)).ToArray();
        foreach (var mmap in sizes)
        {
            await using (var s = await new MetadataStoreBuilder().UseSqliteFile(small).WithMemoryMapSize(mmap).OpenAsync())
            await using (var l = await new MetadataStoreBuilder().UseSqliteFile(large).WithMemoryMapSize(mmap).OpenAsync())
            {
                var random = new Random(7);
                async Task<double> Library(IMetadataStore store, int count)
                {
                    var ids = RandomIds(random, count);
                    var sw = Stopwatch.StartNew();
                    var read = await store.GetArtifactsByIdAsync(ids);
                    var ms = sw.Elapsed.TotalMilliseconds;
                    return read.Count == Reads ? ms : throw new InvalidOperationException("missed rows");
                }

                var (a, b) = await Alternate(c => Library(s, c), c => Library(l, c));
                QuickRunner.Progress($"library mmap={mmap}: at10k={a.ToString("F3", Inv)} at1M={b.ToString("F3", Inv)} growth={(b / a).ToString("F2", Inv)}");
            }

            using (var s = new RawReader(small, mmap))
            using (var l = new RawReader(large, mmap))
            {
                var random = new Random(7);
                var (a, b) = await Alternate(c => Task.FromResult(s.Read(RandomIds(random, c))), c => Task.FromResult(l.Read(RandomIds(random, c))));
                QuickRunner.Progress($"raw mmap={mmap}: at10k={a.ToString("F3", Inv)} at1M={b.ToString("F3", Inv)} growth={(b / a).ToString("F2", Inv)} misses/call at1M={l.MissesPerCall.ToString("F0", Inv)} at10k={s.MissesPerCall.ToString("F0", Inv)}");
            }
        }
    }

    private static HashSet<long> RandomIds(Random random, int count)
    {
        var ids = new HashSet<long>();
        while (ids.Count < Reads)
        {
            ids.Add(random.NextInt64(1, count + 1));
        }

        return ids;
    }

    private static async Task<(double Small, double Large)> Alternate(Func<int, Task<double>> small, Func<int, Task<double>> large)
    {
        for (var i = 0; i < WarmUps; i++)
        {
            await small(10_000);
            await large(1_000_000);
        }

        var atSmall = new List<double>();
        var atLarge = new List<double>();
        for (var rep = 0; rep < Reps; rep++)
        {
            atSmall.Add(await small(10_000));
            atLarge.Add(await large(1_000_000));
        }

        return (QuickRunner.Median(atSmall), QuickRunner.Median(atLarge));
    }

    private sealed class RawReader : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _nodes;
        private readonly SqliteCommand _properties;
        private long _misses;
        private int _calls;

        public RawReader(string path, long mmap)
        {
            _connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            _connection.Open();
            using (var pragma = _connection.CreateCommand())
            {
                pragma.CommandText = $"PRAGMA cache_size = -65536; PRAGMA mmap_size = {mmap};";
                pragma.ExecuteNonQuery();
            }

            var list = string.Join(", ", Enumerable.Range(0, Reads).Select(i => "$p" + i));
            _nodes = _connection.CreateCommand();
            _nodes.CommandText = $"""
                SELECT n."id", n."type_id", t."name", n."name", n."external_id", n."uri", n."state", n."create_time_since_epoch", n."last_update_time_since_epoch"
                FROM "Artifact" AS n LEFT JOIN "Type" AS t ON t."id" = n."type_id" WHERE n."id" IN ({list}) ORDER BY n."id"
                """;
            _properties = _connection.CreateCommand();
            _properties.CommandText = $"""
                SELECT "artifact_id", "name", "is_custom_property", "int_value", "double_value", "string_value", "proto_value", "bool_value"
                FROM "ArtifactProperty" WHERE "artifact_id" IN ({list})
                """;
            foreach (var command in new[] { _nodes, _properties })
            {
                for (var i = 0; i < Reads; i++)
                {
                    command.Parameters.Add(new SqliteParameter("$p" + i, 0L));
                }

                command.Prepare();
            }
        }

        public double MissesPerCall => _calls == 0 ? 0 : (double)_misses / _calls;

        public double Read(HashSet<long> ids)
        {
            const int cacheMiss = 10; // SQLITE_DBSTATUS_CACHE_MISS
            SQLitePCL.raw.sqlite3_db_status(_connection.Handle, cacheMiss, out _, out _, 1);
            var sw = Stopwatch.StartNew();
            using var transaction = _connection.BeginTransaction(deferred: true);
            var rows = 0;
            foreach (var command in new[] { _nodes, _properties })
            {
                command.Transaction = transaction;
                var i = 0;
                foreach (var id in ids)
                {
                    command.Parameters[i++].Value = id;
                }

                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    for (var c = 0; c < reader.FieldCount; c++)
                    {
                        _ = reader.GetValue(c);
                    }

                    rows++;
                }
            }

            transaction.Commit();
            var ms = sw.Elapsed.TotalMilliseconds;
            var rc = SQLitePCL.raw.sqlite3_db_status(_connection.Handle, cacheMiss, out var misses, out _, 1);
            if (rc != 0)
            {
                throw new InvalidOperationException($"db_status {rc}");
            }

            _misses += misses;
            _calls++;
            return rows == Reads * 6 ? ms : throw new InvalidOperationException($"read {rows} rows");
        }

        public void Dispose()
        {
            _nodes.Dispose();
            _properties.Dispose();
            _connection.Dispose();
        }
    }
}
