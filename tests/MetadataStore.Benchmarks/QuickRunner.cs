using System.Diagnostics;
using System.Globalization;

namespace MetadataStore.Benchmarks;

/// <summary>
/// The quick mode: each scenario once, library and baseline alternating in this process (stream in fresh child
/// processes), warm-up first, then several repetitions; prints the medians as one line per scenario.
/// </summary>
internal static class QuickRunner
{
    internal const int BulkCount = 100_000;
    internal const int BulkReps = 3;
    internal const int PublishWarmup = 200;
    internal const int PublishPerRep = 1_000;
    internal const int PublishReps = 5;
    internal const int InputPool = 100;
    internal const int ReadCount = 10_000;
    internal const int ReadReps = 15;

    // Unmeasured reads per side before the repetitions, so both run code the JIT has tiered up: a method called once
    // per read is recompiled optimized only after 30 calls (tiered compilation's call-count threshold).
    internal const int ReadWarmups = 30;
    internal const int LargeCount = 1_000_000;
    internal const int FilterPage = 100;
    internal const int FilterReps = 21;
    private const int StreamPage = 1_000;
    private const int StreamReps = 1;
    private const int OpenReps = 21;
    private const int ParallelReaders = 4;
    private const int ParallelReadIds = 100;
    private const int ParallelReadsPerReader = 150;
    private const int ParallelWriteBatch = 100;
    private const int ParallelWritePauseMs = 5;
    private const int ParallelReps = 5;
    private const int LineageReps = 15;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The scenarios, in the order they run.</summary>
    public static readonly string[] Scenarios =
        ["bulk", "read", "parallel-read", "publish", "filter", "stream", "open", "scale", "lineage-ids", "lineage-hydrated", "mlnet-overhead", .. PgQuickRunner.Scenarios];

    /// <summary>Runs the named scenarios (all when none are named).</summary>
    public static async Task<int> RunAsync(IReadOnlyCollection<string> only)
    {
        var unknown = only.Except(Scenarios).ToArray();
        if (unknown.Length > 0)
        {
            Console.Error.WriteLine($"Unknown scenario(s): {string.Join(", ", unknown)}; the scenarios are {string.Join(", ", Scenarios)}.");
            return 2;
        }

        bool Runs(string scenario) => only.Count == 0 || only.Contains(scenario);
        var total = Stopwatch.StartNew();
        using var files = await BenchFiles.CreateAsync();
        if (Runs("bulk") || Runs("read") || Runs("parallel-read"))
        {
            var hundredK = await BulkAsync(files, Runs("bulk"));
            if (Runs("read"))
            {
                await ReadAsync(files, hundredK);
            }

            if (Runs("parallel-read"))
            {
                await ParallelReadAsync(hundredK);
            }
        }

        if (Runs("publish"))
        {
            await PublishAsync(files);
        }

        if (Runs("filter") || Runs("stream") || Runs("open"))
        {
            Progress($"generating {LargeCount:N0} artifacts with the baseline's bulk insert");
            var sw = Stopwatch.StartNew();
            var large = GenerateLarge(files, LargeCount);
            Progress($"generated in {sw.Elapsed.TotalSeconds:F1} s ({new FileInfo(large).Length / 1e6:F0} MB)");
            if (Runs("filter"))
            {
                await FilterAsync(large);
            }

            if (Runs("stream"))
            {
                Stream(large);
            }

            if (Runs("open"))
            {
                await OpenAsync(large);
            }
        }

        if (Runs("scale"))
        {
            await ScaleRunner.RunAsync(files);
        }

        if (Runs("lineage-ids") || Runs("lineage-hydrated"))
        {
            Progress($"generating a DAG of {LineageBench.Components * (1 + (2 * LineageBench.Layers * LineageBench.Width)):N0} nodes");
            var sw = Stopwatch.StartNew();
            var (dag, source) = LineageBench.Generate(files);
            Progress($"generated in {sw.Elapsed.TotalSeconds:F1} s");
            foreach (var hydrate in new[] { false, true })
            {
                if (Runs(hydrate ? "lineage-hydrated" : "lineage-ids"))
                {
                    await LineageAsync(dag, source, hydrate);
                }
            }
        }

        if (Runs("mlnet-overhead"))
        {
            await MLNetOverhead.RunAsync(files);
        }

        if (PgQuickRunner.Scenarios.Any(Runs))
        {
            await PgQuickRunner.RunAsync(Runs);
        }

        Progress($"total {total.Elapsed.TotalSeconds:F0} s");
        return 0;
    }

    // ---- bulk ----

    /// <summary>Measures bulk insert when asked; either way leaves a baseline file of 100k artifacts and returns its path.</summary>
    private static async Task<string> BulkAsync(BenchFiles files, bool measure)
    {
        if (!measure)
        {
            RawBulk(files, BulkCount, "bulk-raw");
            return Path.Combine(files.Root, "bulk-raw.db");
        }

        Progress("bulk: warm-up");
        await LibraryBulkAsync(files, 10_000);
        RawBulk(files, 10_000, "bulk-raw");
        var library = new List<double>();
        var baseline = new List<double>();
        for (var rep = 0; rep < BulkReps; rep++)
        {
            Progress($"bulk: repetition {rep + 1}/{BulkReps}");
            if (rep % 2 == 1)
            {
                baseline.Add(BulkCount / RawBulk(files, BulkCount, "bulk-raw"));
            }

            library.Add(BulkCount / await LibraryBulkAsync(files, BulkCount));

            if (rep % 2 == 0)
            {
                baseline.Add(BulkCount / RawBulk(files, BulkCount, "bulk-raw"));
            }
        }

        Report("bulk", library, baseline, "artifacts/s", higherIsBetter: true);

        // The last baseline file holds 100k artifacts; the read scenario reuses it.
        return Path.Combine(files.Root, "bulk-raw.db");
    }

    private static async Task<double> LibraryBulkAsync(BenchFiles files, int count)
    {
        var path = files.Fresh("bulk-library");
        await using var store = await BenchFiles.OpenLibraryAsync(path);
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

        Settle();
        var sw = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            await store.PutArtifactsAsync(batch);
        }

        return sw.Elapsed.TotalSeconds;
    }

    private static double RawBulk(BenchFiles files, int count, string name)
    {
        var path = files.Fresh(name);
        using var raw = RawStore.Open(path);
        raw.EnsureTypes();
        Settle();
        var sw = Stopwatch.StartNew();
        raw.BulkInsert(0, count, Workload.BulkBatch);
        return sw.Elapsed.TotalSeconds;
    }

    // ---- publish ----

    private static async Task PublishAsync(BenchFiles files)
    {
        Progress("publish: setting up");
        var library = new List<double>();
        var baseline = new List<double>();
        using var raw = RawStore.Open(files.Fresh("publish-raw"));
        raw.EnsureTypes();
        raw.BulkInsert(0, InputPool, InputPool);
        var (rawFirst, _) = raw.ArtifactIdRange();
        long rawNext = 0;

        long libraryNext = 0;
        await using var store = await BenchFiles.OpenLibraryAsync(files.Fresh("publish-library"));
        var datasetType = await store.PutArtifactTypeAsync(Workload.DatasetArtifactType());
        var modelType = await store.PutArtifactTypeAsync(Workload.ModelArtifactType());
        var trainerType = await store.PutExecutionTypeAsync(Workload.TrainerExecutionType());
        var pipelineType = await store.PutContextTypeAsync(Workload.PipelineContextType());
        var inputs = new Artifact[InputPool];
        for (var i = 0; i < InputPool; i++)
        {
            inputs[i] = Workload.Dataset(datasetType, i);
        }

        var pool = await store.PutArtifactsAsync(inputs);
        Progress("publish: warm-up");
        await LibraryPublishAsync(store, PublishWarmup);

        RawPublish(PublishWarmup);
        for (var rep = 0; rep < PublishReps; rep++)
        {
            Progress($"publish: repetition {rep + 1}/{PublishReps}");
            if (rep % 2 == 1)
            {
                baseline.Add(PublishPerRep / RawPublish(PublishPerRep));
            }

            library.Add(PublishPerRep / await LibraryPublishAsync(store, PublishPerRep));
            if (rep % 2 == 0)
            {
                baseline.Add(PublishPerRep / RawPublish(PublishPerRep));
            }
        }

        Report("publish", library, baseline, "publishes/s", higherIsBetter: true);

        double RawPublish(int count)
        {
            Settle();
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < count; i++, rawNext++)
            {
                raw.Publish(rawNext, rawFirst + (2 * rawNext % InputPool), rawFirst + ((2 * rawNext + 1) % InputPool));
            }

            return sw.Elapsed.TotalSeconds;
        }

        async Task<double> LibraryPublishAsync(IMetadataStore s, int count)
        {
            var options = new PutExecutionOptions { ReuseContextIfAlreadyExists = true };
            Settle();
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < count; i++, libraryNext++)
            {
                var n = libraryNext;
                await Workload.PublishAsync(s, trainerType, modelType, pipelineType, pool, n, options);
            }

            return sw.Elapsed.TotalSeconds;
        }
    }

    // ---- read ----

    private static async Task ReadAsync(BenchFiles files, string path)
    {
        Progress("read: warm-up");
        using var raw = RawStore.Open(path);
        var (min, max) = raw.ArtifactIdRange();
        var random = new Random(42);
        var set = new HashSet<long>();
        while (set.Count < ReadCount)
        {
            set.Add(random.NextInt64(min, max + 1));
        }

        var ids = set.ToArray();
        await using var store = await BenchFiles.OpenLibraryAsync(path);
        var library = new List<double>();
        var baseline = new List<double>();
        for (var i = 0; i < ReadWarmups; i++)
        {
            Check((await store.GetArtifactsByIdAsync(ids)).Count, ReadCount, "library read");
            Check(raw.ReadByIds(ids).Count, ReadCount, "baseline read");
        }

        for (var rep = 0; rep < ReadReps; rep++)
        {
            if (rep % 2 == 1)
            {
                baseline.Add(ReadCount / Time(() => raw.ReadByIds(ids)));
            }

            library.Add(ReadCount / await TimeAsync(() => store.GetArtifactsByIdAsync(ids)));
            if (rep % 2 == 0)
            {
                baseline.Add(ReadCount / Time(() => raw.ReadByIds(ids)));
            }
        }

        Report("read", library, baseline, "artifacts/s", higherIsBetter: true);
    }

    // ---- parallel-read ----

    /// <summary>
    /// Reads/s of <see cref="ParallelReaders"/> reader tasks, each reading <see cref="ParallelReadIds"/> random artifacts by
    /// id at a time, while one writer puts batches at a steady pace; the library reads and writes through one store,
    /// the baseline has a connection per reader and one for the writer. Also the library's 4-reader/1-reader scaling.
    /// </summary>
    private static async Task ParallelReadAsync(string path)
    {
        Progress("parallel-read: warm-up");
        long[][] idSets;
        using (var probe = RawStore.Open(path))
        {
            var (min, max) = probe.ArtifactIdRange();
            var random = new Random(7);
            idSets = new long[64][];
            for (var i = 0; i < idSets.Length; i++)
            {
                var set = new HashSet<long>();
                while (set.Count < ParallelReadIds)
                {
                    set.Add(random.NextInt64(min, max + 1));
                }

                idSets[i] = set.ToArray();
            }
        }

        await using var store = await BenchFiles.OpenLibraryAsync(path);
        var libraryType = await store.PutArtifactTypeAsync(Workload.DatasetArtifactType());
        var rawReaders = Enumerable.Range(0, ParallelReaders).Select(_ => RawStore.Open(path)).ToArray();
        using var rawWriter = RawStore.Open(path);
        rawWriter.EnsureTypes();

        // Each side writes names of its own range, so both keep adding rows to the one file without clashing.
        long libraryNext = 100_000_000;
        long rawNext = 200_000_000;
        try
        {
            await LibraryRunAsync(ParallelReaders, 20);
            await RawRunAsync(ParallelReaders, 20);
            await LibraryRunAsync(1, 20);
            await RawRunAsync(1, 20);
            var library = new List<double>();
            var baseline = new List<double>();
            var librarySingle = new List<double>();
            var baselineSingle = new List<double>();
            for (var rep = 0; rep < ParallelReps; rep++)
            {
                Progress($"parallel-read: repetition {rep + 1}/{ParallelReps}");
                if (rep % 2 == 1)
                {
                    baseline.Add(await RawRunAsync(ParallelReaders, ParallelReadsPerReader));
                    baselineSingle.Add(await RawRunAsync(1, ParallelReadsPerReader));
                }

                library.Add(await LibraryRunAsync(ParallelReaders, ParallelReadsPerReader));
                librarySingle.Add(await LibraryRunAsync(1, ParallelReadsPerReader));
                if (rep % 2 == 0)
                {
                    baseline.Add(await RawRunAsync(ParallelReaders, ParallelReadsPerReader));
                    baselineSingle.Add(await RawRunAsync(1, ParallelReadsPerReader));
                }
            }

            var scaling = Median(library) / Median(librarySingle);
            var baselineScaling = Median(baseline) / Median(baselineSingle);
            Report(
                "parallel-read",
                library,
                baseline,
                "reads/s",
                higherIsBetter: true,
                $" scaling={scaling.ToString("F2", Inv)} baseline-scaling={baselineScaling.ToString("F2", Inv)}");
            Progress($"parallel-read 1-reader library runs: {string.Join(' ', librarySingle.Select(Figure))}; baseline runs: {string.Join(' ', baselineSingle.Select(Figure))}");
        }
        finally
        {
            foreach (var reader in rawReaders)
            {
                reader.Dispose();
            }
        }

        async Task<double> LibraryRunAsync(int readers, int readsPerReader)
        {
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var batch = new Artifact[ParallelWriteBatch];
                    for (var i = 0; i < batch.Length; i++)
                    {
                        batch[i] = Workload.Dataset(libraryType, libraryNext++);
                    }

                    await store.PutArtifactsAsync(batch);
                    await Task.Delay(ParallelWritePauseMs);
                }
            });

            Settle();
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, readers).Select(r => Task.Run(async () =>
            {
                for (var i = 0; i < readsPerReader; i++)
                {
                    var ids = idSets[((r * readsPerReader) + i) % idSets.Length];
                    Check((await store.GetArtifactsByIdAsync(ids)).Count, ParallelReadIds, "library parallel read");
                }
            })));
            var seconds = sw.Elapsed.TotalSeconds;
            await stop.CancelAsync();
            await writer;
            return readers * readsPerReader / seconds;
        }

        async Task<double> RawRunAsync(int readers, int readsPerReader)
        {
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    rawWriter.BulkInsert(rawNext, ParallelWriteBatch, ParallelWriteBatch);
                    rawNext += ParallelWriteBatch;
                    await Task.Delay(ParallelWritePauseMs);
                }
            });

            Settle();
            var sw = Stopwatch.StartNew();
            // Reader tasks on the thread pool, scheduled as the library's are: dedicated threads (one per reader)
            // oversubscribe two cores and measured slower than one reader.
            await Task.WhenAll(Enumerable.Range(0, readers).Select(r => Task.Run(() =>
            {
                for (var i = 0; i < readsPerReader; i++)
                {
                    var ids = idSets[((r * readsPerReader) + i) % idSets.Length];
                    Check(rawReaders[r].ReadByIds(ids).Count, ParallelReadIds, "baseline parallel read");
                }
            })));
            var seconds = sw.Elapsed.TotalSeconds;
            await stop.CancelAsync();
            await writer;
            return readers * readsPerReader / seconds;
        }
    }

    // ---- the 1M store ----

    private static string GenerateLarge(BenchFiles files, int count)
    {
        var path = Path.Combine(files.Root, "large.db");
        if (files.Keep && File.Exists(path))
        {
            return path;
        }

        path = files.Fresh("large");
        using (var raw = RawStore.Open(path, cacheSizeKib: 512 * 1024))
        {
            raw.EnsureTypes();
            raw.BulkLoad(count);
        }

        return path;
    }

    private static async Task FilterAsync(string path)
    {
        using var raw = RawStore.Open(path);
        var library = new List<double>();
        var baseline = new List<double>();
        await using var store = await BenchFiles.OpenLibraryAsync(path);
        var options = new NodeListOptions { PageSize = FilterPage, Filter = "properties.shard.int_value = 7" };
        Progress("filter: warm-up");
        for (var i = 0; i < ReadWarmups; i++)
        {
            Check((await store.ListArtifactsAsync(options)).Items.Count, FilterPage, "library filter");
            Check(raw.FilterFirstPage("shard", 7, FilterPage).Count, FilterPage, "baseline filter");
        }

        for (var rep = 0; rep < FilterReps; rep++)
        {
            if (rep % 2 == 1)
            {
                baseline.Add(1 / Time(() => raw.FilterFirstPage("shard", 7, FilterPage)));
            }

            library.Add(1 / await TimeAsync(() => store.ListArtifactsAsync(options)));
            if (rep % 2 == 0)
            {
                baseline.Add(1 / Time(() => raw.FilterFirstPage("shard", 7, FilterPage)));
            }
        }

        Report("filter", library, baseline, "queries/s", higherIsBetter: true);
    }

    private static void Stream(string path)
    {
        var library = new List<double>();
        var baseline = new List<double>();
        for (var rep = 0; rep < StreamReps; rep++)
        {
            Progress($"stream: repetition {rep + 1}/{StreamReps} (fresh processes)");
            if (rep % 2 == 1)
            {
                baseline.Add(StreamChild.Spawn("stream-baseline", path, StreamPage));
            }

            library.Add(StreamChild.Spawn("stream-library", path, StreamPage));

            if (rep % 2 == 0)
            {
                baseline.Add(StreamChild.Spawn("stream-baseline", path, StreamPage));
            }
        }

        Report("stream", library, baseline, "MB", higherIsBetter: false);
    }

    private static async Task OpenAsync(string path)
    {
        var library = new List<double>();
        var baseline = new List<double>();
        Progress("open: warm-up");
        for (var i = 0; i < 3; i++)
        {
            RawOpen();
            await LibraryOpenAsync();
        }

        for (var rep = 0; rep < OpenReps; rep++)
        {
            if (rep % 2 == 1)
            {
                baseline.Add(RawOpen());
            }

            library.Add(await LibraryOpenAsync());
            if (rep % 2 == 0)
            {
                baseline.Add(RawOpen());
            }
        }

        Report("open", library, baseline, "ms", higherIsBetter: false);

        double RawOpen()
        {
            var sw = Stopwatch.StartNew();
            RawStore.OpenAndCheck(path);
            return sw.Elapsed.TotalMilliseconds;
        }

        async Task<double> LibraryOpenAsync()
        {
            var sw = Stopwatch.StartNew();
            var store = await BenchFiles.OpenLibraryAsync(path);
            var ms = sw.Elapsed.TotalMilliseconds;
            await store.DisposeAsync();
            return ms;
        }
    }

    // ---- lineage ----

    private static async Task LineageAsync(string path, long source, bool hydrate)
    {
        var scenario = hydrate ? "lineage-hydrated" : "lineage-ids";
        using var raw = new Microsoft.Data.Sqlite.SqliteConnection(RawStore.ConnectionString(path));
        raw.Open();
        await using var store = await BenchFiles.OpenLibraryAsync(path);
        var query = new LineageSubgraphQuery
        {
            StartArtifacts = $"id = {source}",
            Direction = LineageDirection.Downstream,
            IdsOnly = !hydrate,
            ReadMask = LineageReadMask.Artifacts | LineageReadMask.Executions | LineageReadMask.Events,
        };
        Progress($"{scenario}: warm-up");
        var expected = LineageBench.Baseline(raw, source, hydrate);
        var graph = await store.GetLineageSubgraphAsync(query);
        Check(graph.Artifacts.Count + graph.Executions.Count, expected, scenario);
        var library = new List<double>();
        var baseline = new List<double>();
        for (var rep = 0; rep < LineageReps; rep++)
        {
            if (rep % 2 == 1)
            {
                baseline.Add(1 / LineageBench.Seconds(() => LineageBench.Baseline(raw, source, hydrate)));
            }

            library.Add(1 / await TimeAsync(() => store.GetLineageSubgraphAsync(query)));
            if (rep % 2 == 0)
            {
                baseline.Add(1 / LineageBench.Seconds(() => LineageBench.Baseline(raw, source, hydrate)));
            }
        }

        Report(scenario, library, baseline, $"closures/s ({expected} nodes)", higherIsBetter: true);
    }

    // ---- measuring and printing ----

    internal static void Settle()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    internal static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }

    internal static async Task<double> TimeAsync<T>(Func<Task<T>> action)
    {
        var sw = Stopwatch.StartNew();
        await action();
        return sw.Elapsed.TotalSeconds;
    }

    internal static void Check(int actual, int expected, string what)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"{what} returned {actual} rows, expected {expected}.");
        }
    }

    internal static void Report(string scenario, List<double> library, List<double> baseline, string unit, bool higherIsBetter, string extra = "")
    {
        var b = Median(baseline);
        var l = Median(library);
        var ratio = higherIsBetter ? l / b : b / l;
        Emit($"{scenario} ratio={ratio.ToString("F2", Inv)} library={Figure(l)} baseline={Figure(b)} {unit}{extra}");
        Progress($"{scenario} library runs: {string.Join(' ', library.Select(Figure))}; baseline runs: {string.Join(' ', baseline.Select(Figure))}");
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Figure(double value) => value switch
    {
        >= 1000 => value.ToString("F0", Inv),
        >= 10 => value.ToString("F1", Inv),
        _ => value.ToString("F2", Inv),
    };

    internal static void Emit(string line)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }

    internal static void Progress(string message) => Console.Error.WriteLine("# " + message);
}
