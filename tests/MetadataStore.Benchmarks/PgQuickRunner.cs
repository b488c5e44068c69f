using System.Diagnostics;
using MetadataStore.PostgreSql;
using MetadataStore.PostgreSql.Tests;

namespace MetadataStore.Benchmarks;

/// <summary>
/// The PostgreSQL scenarios of the quick mode, on a throwaway server (or the one named by
/// <see cref="PostgresServer.ExistingServerVariable"/>): the same work as the SQLite scenarios, raw Npgsql on the
/// same server and tables as the baseline, each side in a fresh schema.
/// </summary>
internal static class PgQuickRunner
{
    private const int BulkCount = 100_000;
    private const int BulkReps = 3;
    private const int PublishWarmup = 200;
    private const int PublishPerRep = 1_000;
    private const int PublishReps = 5;
    private const int InputPool = 100;
    private const int ReadCount = 10_000;
    private const int ReadReps = 7;
    private const int LargeCount = 1_000_000;
    private const int FilterPage = 100;
    private const int FilterReps = 21;

    /// <summary>The scenarios, in the order they run.</summary>
    public static readonly string[] Scenarios = ["pg-bulk", "pg-read", "pg-publish", "pg-filter"];

    /// <summary>Runs the scenarios <paramref name="runs"/> selects.</summary>
    public static async Task RunAsync(Func<string, bool> runs)
    {
        QuickRunner.Progress("PostgreSQL: starting the server");
        var server = await PostgresServer.SharedAsync();
        var bench = new PgBench(server.OwnerConnectionString);
        if (runs("pg-bulk") || runs("pg-read"))
        {
            var hundredK = await BulkAsync(bench, runs("pg-bulk"));
            if (runs("pg-read"))
            {
                Read(bench, hundredK);
            }
        }

        if (runs("pg-publish"))
        {
            await PublishAsync(bench);
        }

        if (runs("pg-filter"))
        {
            QuickRunner.Progress($"pg-filter: generating {LargeCount:N0} artifacts on the server");
            var sw = Stopwatch.StartNew();
            var large = await bench.FreshAsync("bench_large");
            using (var raw = RawPgStore.Open(bench.ConnectionString, large))
            {
                raw.EnsureTypes();
                raw.BulkLoad(LargeCount);
            }

            QuickRunner.Progress($"pg-filter: generated in {sw.Elapsed.TotalSeconds:F1} s");
            Filter(bench, large);
        }
    }

    private static async Task<string> BulkAsync(PgBench bench, bool measure)
    {
        if (!measure)
        {
            await RawBulkAsync(bench, BulkCount);
            return "bench_bulk_raw";
        }

        QuickRunner.Progress("pg-bulk: warm-up");
        await RawBulkAsync(bench, 10_000);
        var baseline = new List<double>();
        for (var rep = 0; rep < BulkReps; rep++)
        {
            QuickRunner.Progress($"pg-bulk: repetition {rep + 1}/{BulkReps}");
            baseline.Add(BulkCount / await RawBulkAsync(bench, BulkCount));
        }

        ReportBaseline("pg-bulk", baseline, "artifacts/s");
        return "bench_bulk_raw";
    }

    private static async Task<double> RawBulkAsync(PgBench bench, int count)
    {
        var schema = await bench.FreshAsync("bench_bulk_raw");
        using var raw = RawPgStore.Open(bench.ConnectionString, schema);
        raw.EnsureTypes();
        QuickRunner.Settle();
        var sw = Stopwatch.StartNew();
        raw.BulkInsert(0, count, Workload.BulkBatch);
        return sw.Elapsed.TotalSeconds;
    }

    private static void Read(PgBench bench, string schema)
    {
        QuickRunner.Progress("pg-read: warm-up");
        using var raw = RawPgStore.Open(bench.ConnectionString, schema);
        var (min, max) = raw.ArtifactIdRange();
        var random = new Random(42);
        var set = new HashSet<long>();
        while (set.Count < ReadCount)
        {
            set.Add(random.NextInt64(min, max + 1));
        }

        var ids = set.ToArray();
        Check(raw.ReadByIds(ids).Count, ReadCount, "baseline read");
        var baseline = new List<double>();
        for (var rep = 0; rep < ReadReps; rep++)
        {
            baseline.Add(ReadCount / Time(() => raw.ReadByIds(ids)));
        }

        ReportBaseline("pg-read", baseline, "artifacts/s");
    }

    private static async Task PublishAsync(PgBench bench)
    {
        QuickRunner.Progress("pg-publish: setting up");
        using var raw = RawPgStore.Open(bench.ConnectionString, await bench.FreshAsync("bench_publish_raw"));
        raw.EnsureTypes();
        raw.BulkInsert(0, InputPool, InputPool);
        var (first, _) = raw.ArtifactIdRange();
        long next = 0;
        QuickRunner.Progress("pg-publish: warm-up");
        RawPublish(PublishWarmup);
        var baseline = new List<double>();
        for (var rep = 0; rep < PublishReps; rep++)
        {
            QuickRunner.Progress($"pg-publish: repetition {rep + 1}/{PublishReps}");
            baseline.Add(PublishPerRep / RawPublish(PublishPerRep));
        }

        ReportBaseline("pg-publish", baseline, "publishes/s");

        double RawPublish(int count)
        {
            QuickRunner.Settle();
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < count; i++, next++)
            {
                raw.Publish(next, first + (2 * next % InputPool), first + ((2 * next + 1) % InputPool));
            }

            return sw.Elapsed.TotalSeconds;
        }
    }

    private static void Filter(PgBench bench, string schema)
    {
        using var raw = RawPgStore.Open(bench.ConnectionString, schema);
        QuickRunner.Progress("pg-filter: warm-up");
        Check(raw.FilterFirstPage("shard", 7, FilterPage).Count, FilterPage, "baseline filter");
        var baseline = new List<double>();
        for (var rep = 0; rep < FilterReps; rep++)
        {
            baseline.Add(1 / Time(() => raw.FilterFirstPage("shard", 7, FilterPage)));
        }

        ReportBaseline("pg-filter", baseline, "queries/s");
    }

    private static void ReportBaseline(string scenario, List<double> baseline, string unit) =>
        QuickRunner.Emit($"{scenario} baseline={QuickRunner.Median(baseline):F0} {unit}");

    private static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }

    private static void Check(int actual, int expected, string what)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"{what} returned {actual} rows, expected {expected}.");
        }
    }

    /// <summary>Fresh schemas on the server, each with the store's tables.</summary>
    private sealed class PgBench(string connectionString)
    {
        public string ConnectionString { get; } = connectionString;

        /// <summary>Drops and creates the schema <paramref name="name"/> with the store's tables; returns its name.</summary>
        public async Task<string> FreshAsync(string name)
        {
            await PostgresServer.ExecuteAsync(
                ConnectionString,
                $"DROP SCHEMA IF EXISTS {PostgreSqlSchema.Quote(name)} CASCADE; {PostgreSqlSchema.CreateSchema(name)} {PostgreSqlSchema.Create(name)}",
                CancellationToken.None);
            return name;
        }
    }
}
