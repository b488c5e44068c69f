using System.Diagnostics;
using MetadataStore.PostgreSql;
using MetadataStore.PostgreSql.Tests;

namespace MetadataStore.Benchmarks;

/// <summary>
/// The PostgreSQL scenarios of the quick mode, on a throwaway server (or the one named by
/// <see cref="PostgresServer.ExistingServerVariable"/>): the same work as the SQLite scenarios, the library against
/// raw Npgsql on the same server and the same tables (each in a fresh schema the library created), alternating,
/// after a warm-up, at the sizes of <see cref="QuickRunner"/>; one line per scenario with the medians.
/// </summary>
internal static class PgQuickRunner
{
    /// <summary>The scenarios, in the order they run.</summary>
    public static readonly string[] Scenarios = ["pg-bulk", "pg-read", "pg-publish", "pg-filter"];

    /// <summary>Runs the scenarios <paramref name="runs"/> selects.</summary>
    public static async Task RunAsync(Func<string, bool> runs)
    {
        QuickRunner.Progress("PostgreSQL: starting the server");
        var server = await PostgresServer.SharedAsync();
        var connectionString = server.OwnerConnectionString;
        if (runs("pg-bulk") || runs("pg-read"))
        {
            var hundredK = await BulkAsync(connectionString, runs("pg-bulk"));
            if (runs("pg-read"))
            {
                await ReadAsync(connectionString, hundredK);
            }
        }

        if (runs("pg-publish"))
        {
            await PublishAsync(connectionString);
        }

        if (runs("pg-filter"))
        {
            QuickRunner.Progress($"pg-filter: generating {QuickRunner.LargeCount:N0} artifacts on the server");
            var sw = Stopwatch.StartNew();
            var large = await FreshAsync(connectionString, "bench_large");
            using (var raw = RawPgStore.Open(connectionString, large))
            {
                raw.EnsureTypes();
                raw.BulkLoad(QuickRunner.LargeCount);
            }

            QuickRunner.Progress($"pg-filter: generated in {sw.Elapsed.TotalSeconds:F1} s");
            await FilterAsync(connectionString, large);
        }
    }

    /// <summary>A new schema <paramref name="name"/> with the library's tables: dropped if present, then created by opening a store on it.</summary>
    private static async Task<string> FreshAsync(string connectionString, string name)
    {
        await PostgresServer.ExecuteAsync(connectionString, $"DROP SCHEMA IF EXISTS {PostgreSqlSchema.Quote(name)} CASCADE;", CancellationToken.None);
        await using (await OpenLibraryAsync(connectionString, name))
        {
        }

        return name;
    }

    private static Task<IMetadataStore> OpenLibraryAsync(string connectionString, string schema) =>
        new MetadataStoreBuilder().UsePostgreSql(connectionString, schema).OpenAsync();

    // ---- bulk ----

    private static async Task<string> BulkAsync(string connectionString, bool measure)
    {
        if (!measure)
        {
            await RawBulkAsync(connectionString, QuickRunner.BulkCount);
            return "bench_bulk_raw";
        }

        QuickRunner.Progress("pg-bulk: warm-up");
        await LibraryBulkAsync(connectionString, 10_000);
        await RawBulkAsync(connectionString, 10_000);
        var library = new List<double>();
        var baseline = new List<double>();
        for (var rep = 0; rep < QuickRunner.BulkReps; rep++)
        {
            QuickRunner.Progress($"pg-bulk: repetition {rep + 1}/{QuickRunner.BulkReps}");
            if (rep % 2 == 1)
            {
                baseline.Add(QuickRunner.BulkCount / await RawBulkAsync(connectionString, QuickRunner.BulkCount));
            }

            library.Add(QuickRunner.BulkCount / await LibraryBulkAsync(connectionString, QuickRunner.BulkCount));
            if (rep % 2 == 0)
            {
                baseline.Add(QuickRunner.BulkCount / await RawBulkAsync(connectionString, QuickRunner.BulkCount));
            }
        }

        QuickRunner.Report("pg-bulk", library, baseline, "artifacts/s", higherIsBetter: true);
        return "bench_bulk_raw";
    }

    private static async Task<double> LibraryBulkAsync(string connectionString, int count)
    {
        await using var store = await OpenLibraryAsync(connectionString, await FreshAsync(connectionString, "bench_bulk_library"));
        var typeId = await store.PutArtifactTypeAsync(Workload.DatasetArtifactType());
        var batches = new List<Artifact[]>();
        for (var start = 0; start < count; start += Workload.BulkBatch)
        {
            var batch = new Artifact[Math.Min(Workload.BulkBatch, count - start)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = Workload.Dataset(typeId, start + i);
            }

            batches.Add(batch);
        }

        QuickRunner.Settle();
        var sw = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            await store.PutArtifactsAsync(batch);
        }

        return sw.Elapsed.TotalSeconds;
    }

    private static async Task<double> RawBulkAsync(string connectionString, int count)
    {
        var schema = await FreshAsync(connectionString, "bench_bulk_raw");
        using var raw = RawPgStore.Open(connectionString, schema);
        raw.EnsureTypes();
        QuickRunner.Settle();
        var sw = Stopwatch.StartNew();
        raw.BulkInsert(0, count, Workload.BulkBatch);
        return sw.Elapsed.TotalSeconds;
    }

    // ---- read ----

    private static async Task ReadAsync(string connectionString, string schema)
    {
        QuickRunner.Progress("pg-read: warm-up");
        using var raw = RawPgStore.Open(connectionString, schema);
        var (min, max) = raw.ArtifactIdRange();
        var random = new Random(42);
        var set = new HashSet<long>();
        while (set.Count < QuickRunner.ReadCount)
        {
            set.Add(random.NextInt64(min, max + 1));
        }

        var ids = set.ToArray();
        await using var store = await OpenLibraryAsync(connectionString, schema);
        for (var i = 0; i < QuickRunner.ReadWarmups; i++)
        {
            QuickRunner.Check((await store.GetArtifactsByIdAsync(ids)).Count, QuickRunner.ReadCount, "library read");
            QuickRunner.Check(raw.ReadByIds(ids).Count, QuickRunner.ReadCount, "baseline read");
        }
        var library = new List<double>();
        var baseline = new List<double>();
        for (var rep = 0; rep < QuickRunner.ReadReps; rep++)
        {
            if (rep % 2 == 1)
            {
                baseline.Add(QuickRunner.ReadCount / QuickRunner.Time(() => raw.ReadByIds(ids)));
            }

            library.Add(QuickRunner.ReadCount / await QuickRunner.TimeAsync(() => store.GetArtifactsByIdAsync(ids)));
            if (rep % 2 == 0)
            {
                baseline.Add(QuickRunner.ReadCount / QuickRunner.Time(() => raw.ReadByIds(ids)));
            }
        }

        QuickRunner.Report("pg-read", library, baseline, "artifacts/s", higherIsBetter: true);
    }

    // ---- publish ----

    private static async Task PublishAsync(string connectionString)
    {
        QuickRunner.Progress("pg-publish: setting up");
        using var raw = RawPgStore.Open(connectionString, await FreshAsync(connectionString, "bench_publish_raw"));
        raw.EnsureTypes();
        raw.BulkInsert(0, QuickRunner.InputPool, QuickRunner.InputPool);
        var (rawFirst, _) = raw.ArtifactIdRange();
        long rawNext = 0;

        long libraryNext = 0;
        await using var store = await OpenLibraryAsync(connectionString, await FreshAsync(connectionString, "bench_publish_library"));
        var datasetType = await store.PutArtifactTypeAsync(Workload.DatasetArtifactType());
        var modelType = await store.PutArtifactTypeAsync(Workload.ModelArtifactType());
        var trainerType = await store.PutExecutionTypeAsync(Workload.TrainerExecutionType());
        var pipelineType = await store.PutContextTypeAsync(Workload.PipelineContextType());
        var inputs = new Artifact[QuickRunner.InputPool];
        for (var i = 0; i < QuickRunner.InputPool; i++)
        {
            inputs[i] = Workload.Dataset(datasetType, i);
        }

        var pool = await store.PutArtifactsAsync(inputs);
        QuickRunner.Progress("pg-publish: warm-up");
        await LibraryPublishAsync(QuickRunner.PublishWarmup);
        RawPublish(QuickRunner.PublishWarmup);
        var library = new List<double>();
        var baseline = new List<double>();
        for (var rep = 0; rep < QuickRunner.PublishReps; rep++)
        {
            QuickRunner.Progress($"pg-publish: repetition {rep + 1}/{QuickRunner.PublishReps}");
            if (rep % 2 == 1)
            {
                baseline.Add(QuickRunner.PublishPerRep / RawPublish(QuickRunner.PublishPerRep));
            }

            library.Add(QuickRunner.PublishPerRep / await LibraryPublishAsync(QuickRunner.PublishPerRep));
            if (rep % 2 == 0)
            {
                baseline.Add(QuickRunner.PublishPerRep / RawPublish(QuickRunner.PublishPerRep));
            }
        }

        QuickRunner.Report("pg-publish", library, baseline, "publishes/s", higherIsBetter: true);

        double RawPublish(int count)
        {
            QuickRunner.Settle();
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < count; i++, rawNext++)
            {
                raw.Publish(rawNext, rawFirst + (2 * rawNext % QuickRunner.InputPool), rawFirst + ((2 * rawNext + 1) % QuickRunner.InputPool));
            }

            return sw.Elapsed.TotalSeconds;
        }

        async Task<double> LibraryPublishAsync(int count)
        {
            var options = new PutExecutionOptions { ReuseContextIfAlreadyExists = true };
            QuickRunner.Settle();
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < count; i++, libraryNext++)
            {
                var n = libraryNext;
                await Workload.PublishAsync(store, trainerType, modelType, pipelineType, pool, n, options);
            }

            return sw.Elapsed.TotalSeconds;
        }
    }

    // ---- filter ----

    private static async Task FilterAsync(string connectionString, string schema)
    {
        using var raw = RawPgStore.Open(connectionString, schema);
        await using var store = await OpenLibraryAsync(connectionString, schema);
        var options = new NodeListOptions { PageSize = QuickRunner.FilterPage, Filter = "properties.shard.int_value = 7" };
        QuickRunner.Progress("pg-filter: warm-up");
        for (var i = 0; i < QuickRunner.ReadWarmups; i++)
        {
            QuickRunner.Check((await store.ListArtifactsAsync(options)).Items.Count, QuickRunner.FilterPage, "library filter");
            QuickRunner.Check(raw.FilterFirstPage("shard", 7, QuickRunner.FilterPage).Count, QuickRunner.FilterPage, "baseline filter");
        }

        var library = new List<double>();
        var baseline = new List<double>();
        for (var rep = 0; rep < QuickRunner.FilterReps; rep++)
        {
            if (rep % 2 == 1)
            {
                baseline.Add(1 / QuickRunner.Time(() => raw.FilterFirstPage("shard", 7, QuickRunner.FilterPage)));
            }

            library.Add(1 / await QuickRunner.TimeAsync(() => store.ListArtifactsAsync(options)));
            if (rep % 2 == 0)
            {
                baseline.Add(1 / QuickRunner.Time(() => raw.FilterFirstPage("shard", 7, QuickRunner.FilterPage)));
            }
        }

        QuickRunner.Report("pg-filter", library, baseline, "queries/s", higherIsBetter: true);
    }
}
