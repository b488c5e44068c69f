using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MetadataStore.Benchmarks;

/// <summary>
/// The scale scenario: the same operations on a 10k-artifact and a 1M-artifact store in one run, alternating,
/// median of several repetitions; prints growth = time at 1M / time at 10k per operation, the drain ratio of a
/// 100k-member context, and (as progress lines) what each group of extra indexes costs a raw bulk insert and how
/// point reads move with the memory map size.
/// </summary>
internal static class ScaleRunner
{
    private const int Small = 10_000;
    private const int Large = 1_000_000;
    private const int Reps = 21;
    private const int PageSize = 100;
    private const int PointReads = 100;

    // Random ids touch new leaf pages on every call; the warm-up fills each pooled reader's page cache with the
    // B-tree interior pages, so the figure is a store in use, not one just opened.
    private const int PointReadWarmUps = 60;
    private const int DrainPage = 1_000;
    private const int DrainReps = 3;
    private const int IndexCostCount = 50_000;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(BenchFiles files)
    {
        var small = ScaleStore.Ensure(files.Template, Small, QuickRunner.Progress);
        var large = ScaleStore.Ensure(files.Template, Large, QuickRunner.Progress);
        // Read each file once, so both stores start from the operating system's cache as a store in use does.
        foreach (var path in new[] { small, large })
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
            var buffer = new byte[1 << 20];
            while (file.Read(buffer, 0, buffer.Length) > 0)
            {
            }
        }

        await using var s = await BenchFiles.OpenLibraryAsync(small);
        await using var l = await BenchFiles.OpenLibraryAsync(large);

        // One artifact in ten matches each filter, so the first page is full at 10k (1,000 matches) and at 1M (100,000).
        var filter = new NodeListOptions { PageSize = PageSize, Filter = "properties.split.string_value = 'eval'" };
        var type = new NodeListOptions { PageSize = PageSize, Filter = $"type = '{Workload.ModelType}'" };
        await Growth("scale-filter-first-page", s, l, (store, _) => Page(store.ListArtifactsAsync(filter)));
        await Growth("scale-type-first-page", s, l, (store, _) => Page(store.ListArtifactsAsync(type)));

        // The fifth page of a 1,000-member context in the middle of the store.
        var contextPages = new Dictionary<IMetadataStore, (long Context, NodeListOptions Options)>();
        foreach (var (store, count) in new[] { (s, Small), (l, Large) })
        {
            var context = await store.GetContextByTypeAndNameAsync(Workload.PipelineType, null, ScaleStore.GroupName(count / ScaleStore.GroupSize / 2))
                ?? throw new InvalidOperationException("The scale store lacks its group contexts.");
            var options = new NodeListOptions { PageSize = PageSize };
            for (var page = 0; page < 4; page++)
            {
                options = options with { PageToken = (await store.ListArtifactsByContextAsync(context.Id!.Value, options)).NextPageToken };
            }

            contextPages[store] = (context.Id!.Value, options);
        }

        await Growth("scale-context-page", s, l, (store, _) => Page(store.ListArtifactsByContextAsync(contextPages[store].Context, contextPages[store].Options)));

        await Growth("scale-point-reads", s, l, ReadRandomIds(new Random(7)), PointReadWarmUps);

        await DrainAsync(l);
        await PointReadsByMemoryMap(small, large);
        IndexCost(files);
    }

    /// <summary>100 random artifacts by id, fresh ids each call.</summary>
    private static Func<IMetadataStore, int, Task<int>> ReadRandomIds(Random random) => async (store, count) =>
    {
        var ids = new HashSet<long>();
        while (ids.Count < PointReads)
        {
            ids.Add(random.NextInt64(1, count + 1));
        }

        var read = await store.GetArtifactsByIdAsync(ids);
        return read.Count == PointReads ? read.Count : throw new InvalidOperationException("Point reads missed rows.");
    };

    private static async Task<int> Page<T>(Task<NodePage<T>> page)
        where T : MetadataNode
    {
        var items = (await page).Items.Count;
        return items == PageSize ? items : throw new InvalidOperationException($"A page held {items} rows, expected {PageSize}.");
    }

    private static async Task Growth(string name, IMetadataStore small, IMetadataStore large, Func<IMetadataStore, int, Task<int>> operation, int warmUps = 3)
    {
        var (ms10k, ms1m) = await MedianTimes(name, small, large, operation, warmUps);
        QuickRunner.Emit($"{name} growth={(ms1m / ms10k).ToString("F2", Inv)} at10k={ms10k.ToString("F3", Inv)} at1M={ms1m.ToString("F3", Inv)} ms");
    }

    /// <summary>The median times of the operation at 10k and at 1M, alternating between the stores after the warm-up.</summary>
    private static async Task<(double At10k, double At1M)> MedianTimes(string name, IMetadataStore small, IMetadataStore large, Func<IMetadataStore, int, Task<int>> operation, int warmUps)
    {
        QuickRunner.Progress($"{name}: warm-up");
        for (var i = 0; i < warmUps; i++)
        {
            await operation(small, Small);
            await operation(large, Large);
        }

        var atSmall = new List<double>();
        var atLarge = new List<double>();
        for (var rep = 0; rep < Reps; rep++)
        {
            var sw = Stopwatch.StartNew();
            await operation(rep % 2 == 0 ? small : large, rep % 2 == 0 ? Small : Large);
            (rep % 2 == 0 ? atSmall : atLarge).Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            await operation(rep % 2 == 0 ? large : small, rep % 2 == 0 ? Large : Small);
            (rep % 2 == 0 ? atLarge : atSmall).Add(sw.Elapsed.TotalMilliseconds);
        }

        return (QuickRunner.Median(atSmall), QuickRunner.Median(atLarge));
    }

    /// <summary>Drains the 100k-member context page by page, against reading the same artifacts by id.</summary>
    private static async Task DrainAsync(IMetadataStore store)
    {
        var big = await store.GetContextByTypeAndNameAsync(Workload.PipelineType, null, ScaleStore.BigContext)
            ?? throw new InvalidOperationException("The scale store lacks its big context.");
        var ids = Enumerable.Range(0, Large / 10).Select(i => (10L * i) + 1).ToArray();
        var drains = new List<double>();
        var reads = new List<double>();
        for (var rep = 0; rep < DrainReps; rep++)
        {
            QuickRunner.Progress($"scale-context-drain: repetition {rep + 1}/{DrainReps}");
            QuickRunner.Settle();
            var sw = Stopwatch.StartNew();
            var drained = 0;
            var options = new NodeListOptions { PageSize = DrainPage };
            while (true)
            {
                var page = await store.ListArtifactsByContextAsync(big.Id!.Value, options);
                drained += page.Items.Count;
                if (page.NextPageToken is null)
                {
                    break;
                }

                options = options with { PageToken = page.NextPageToken };
            }

            drains.Add(sw.Elapsed.TotalSeconds);
            QuickRunner.Settle();
            sw.Restart();
            var read = 0;
            for (var start = 0; start < ids.Length; start += DrainPage)
            {
                read += (await store.GetArtifactsByIdAsync(ids[start..Math.Min(ids.Length, start + DrainPage)])).Count;
            }

            reads.Add(sw.Elapsed.TotalSeconds);
            if (drained != ids.Length || read != ids.Length)
            {
                throw new InvalidOperationException($"Drained {drained} and read {read} artifacts, expected {ids.Length}.");
            }
        }

        var drain = QuickRunner.Median(drains);
        var byId = QuickRunner.Median(reads);
        QuickRunner.Emit($"scale-context-drain ratio={(byId / drain).ToString("F2", Inv)} drain={drain.ToString("F2", Inv)} by-id={byId.ToString("F2", Inv)} s ({ids.Length:N0} members, pages of {DrainPage:N0})");
    }

    /// <summary>The point reads at 10k and 1M with no memory map, one of a quarter of the 1M file and the default (progress lines only).</summary>
    private static async Task PointReadsByMemoryMap(string small, string large)
    {
        foreach (var bytes in new[] { 0L, 256L << 20, SqliteMetadataStoreBuilderExtensions.DefaultMemoryMapBytes })
        {
            await using var s = await new MetadataStoreBuilder().UseSqliteFile(small).WithMemoryMapSize(bytes).OpenAsync();
            await using var l = await new MetadataStoreBuilder().UseSqliteFile(large).WithMemoryMapSize(bytes).OpenAsync();
            var (ms10k, ms1m) = await MedianTimes($"scale memory map {bytes >> 20} MiB", s, l, ReadRandomIds(new Random(11)), PointReadWarmUps);
            QuickRunner.Progress($"scale memory map {bytes >> 20} MiB: 100 point reads growth={(ms1m / ms10k).ToString("F2", Inv)} at10k={ms10k.ToString("F3", Inv)} at1M={ms1m.ToString("F3", Inv)} ms");
        }
    }

    /// <summary>A raw bulk insert of 50k artifacts with every index, and with each group of extra indexes dropped (progress lines only).</summary>
    private static void IndexCost(BenchFiles files)
    {
        var groups = new (string Name, Func<string, bool> Drop)[]
        {
            ("all indexes", _ => false),
            ("without mds type indexes", n => n.StartsWith("mds_artifact_type", StringComparison.Ordinal)),
            ("without mds state indexes", n => n.StartsWith("mds_artifact_state", StringComparison.Ordinal)),
            ("without mds property indexes", n => n.StartsWith("mds_artifact_property", StringComparison.Ordinal)),
            ("without any of the three", n => n.StartsWith("mds_artifact_", StringComparison.Ordinal)),
        };
        foreach (var (name, drop) in groups)
        {
            var rates = new List<double>();
            for (var rep = 0; rep < 3; rep++)
            {
                var path = files.Fresh("index-cost");
                using (var connection = new SqliteConnection(RawStore.ConnectionString(path)))
                {
                    connection.Open();
                    var names = new List<string>();
                    using (var list = connection.CreateCommand())
                    {
                        list.CommandText = """SELECT "name" FROM "sqlite_master" WHERE "type" = 'index' AND "name" LIKE 'mds%'""";
                        using var reader = list.ExecuteReader();
                        while (reader.Read())
                        {
                            names.Add(reader.GetString(0));
                        }
                    }

                    foreach (var index in names.Where(drop))
                    {
                        using var command = connection.CreateCommand();
                        command.CommandText = $"DROP INDEX \"{index}\"";
                        command.ExecuteNonQuery();
                    }
                }

                using var raw = RawStore.Open(path);
                raw.EnsureTypes();
                QuickRunner.Settle();
                var sw = Stopwatch.StartNew();
                raw.BulkInsert(0, IndexCostCount, Workload.BulkBatch);
                rates.Add(IndexCostCount / sw.Elapsed.TotalSeconds);
            }

            QuickRunner.Progress($"scale index cost: raw bulk insert {name}: {QuickRunner.Median(rates).ToString("F0", Inv)} artifacts/s");
        }
    }
}
