using System.Diagnostics;
using System.Globalization;

namespace MetadataStore.Benchmarks;

/// <summary>
/// The quick mode: each scenario once, library and baseline alternating in this process (stream in fresh child
/// processes), warm-up first, then several repetitions; prints the medians as one line per scenario.
/// </summary>
internal static class QuickRunner
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
    private const int StreamPage = 1_000;
    private const int StreamReps = 1;
    private const int OpenReps = 21;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync()
    {
        var total = Stopwatch.StartNew();
        using var files = await BenchFiles.CreateAsync();
        if (files.LibraryError is not null)
        {
            Progress($"the library cannot create a store ({files.LibraryError}); library figures are skipped");
        }

        var hundredK = await BulkAsync(files);
        await PublishAsync(files);
        await ReadAsync(files, hundredK);

        Progress($"generating {LargeCount:N0} artifacts with the baseline's bulk insert");
        var sw = Stopwatch.StartNew();
        var large = GenerateLarge(files, LargeCount);
        Progress($"generated in {sw.Elapsed.TotalSeconds:F1} s ({new FileInfo(large).Length / 1e6:F0} MB)");

        await FilterAsync(files, large);
        Stream(files, large);
        await OpenAsync(files, large);
        Progress($"total {total.Elapsed.TotalSeconds:F0} s");
        return 0;
    }

    // ---- bulk ----

    private static async Task<string> BulkAsync(BenchFiles files)
    {
        Progress("bulk: warm-up");
        await LibraryBulkAsync(files, 10_000);
        RawBulk(files, 10_000, "bulk-raw");
        var library = new List<double>();
        var baseline = new List<double>();
        string last = string.Empty;
        for (var rep = 0; rep < BulkReps; rep++)
        {
            Progress($"bulk: repetition {rep + 1}/{BulkReps}");
            if (rep % 2 == 1)
            {
                baseline.Add(BulkCount / RawBulk(files, BulkCount, "bulk-raw"));
            }

            if (files.LibraryError is null)
            {
                library.Add(BulkCount / await LibraryBulkAsync(files, BulkCount));
            }

            if (rep % 2 == 0)
            {
                baseline.Add(BulkCount / RawBulk(files, BulkCount, "bulk-raw"));
            }
        }

        Report(files, "bulk", library, baseline, "artifacts/s", higherIsBetter: true);

        // The last baseline file holds 100k artifacts; the read scenario reuses it.
        last = Path.Combine(files.Root, "bulk-raw.db");
        return last;
    }

    private static async Task<double> LibraryBulkAsync(BenchFiles files, int count)
    {
        if (files.LibraryError is not null)
        {
            return double.NaN;
        }

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

        IMetadataStore? store = null;
        long datasetType = 0, modelType = 0, trainerType = 0, pipelineType = 0;
        IReadOnlyList<long> pool = [];
        long libraryNext = 0;
        if (files.LibraryError is null)
        {
            store = await BenchFiles.OpenLibraryAsync(files.Fresh("publish-library"));
            datasetType = await store.PutArtifactTypeAsync(Workload.DatasetArtifactType());
            modelType = await store.PutArtifactTypeAsync(Workload.ModelArtifactType());
            trainerType = await store.PutExecutionTypeAsync(Workload.TrainerExecutionType());
            pipelineType = await store.PutContextTypeAsync(Workload.PipelineContextType());
            var inputs = new Artifact[InputPool];
            for (var i = 0; i < InputPool; i++)
            {
                inputs[i] = Workload.Dataset(datasetType, i);
            }

            pool = await store.PutArtifactsAsync(inputs);
        }

        try
        {
            Progress("publish: warm-up");
            if (store is not null)
            {
                await LibraryPublishAsync(store, PublishWarmup);
            }

            RawPublish(PublishWarmup);
            for (var rep = 0; rep < PublishReps; rep++)
            {
                Progress($"publish: repetition {rep + 1}/{PublishReps}");
                if (rep % 2 == 1)
                {
                    baseline.Add(PublishPerRep / RawPublish(PublishPerRep));
                }

                if (store is not null)
                {
                    library.Add(PublishPerRep / await LibraryPublishAsync(store, PublishPerRep));
                }

                if (rep % 2 == 0)
                {
                    baseline.Add(PublishPerRep / RawPublish(PublishPerRep));
                }
            }
        }
        finally
        {
            if (store is not null)
            {
                await store.DisposeAsync();
            }
        }

        Report(files, "publish", library, baseline, "publishes/s", higherIsBetter: true);

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
                await s.PutExecutionAsync(
                    Workload.Trainer(trainerType, n),
                    [
                        new ArtifactAndEvent(null, Event.Of(EventType.Input, artifactId: pool[(int)(2 * n % InputPool)]).WithPath(Workload.InputRole)),
                        new ArtifactAndEvent(null, Event.Of(EventType.Input, artifactId: pool[(int)((2 * n + 1) % InputPool)]).WithPath(Workload.InputRole)),
                        new ArtifactAndEvent(Workload.Model(modelType, n), Event.Of(EventType.Output).WithPath(Workload.OutputRole)),
                    ],
                    [Context.Of(pipelineType, Workload.PipelineRun)],
                    options);
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
        IMetadataStore? store = files.LibraryError is null ? await BenchFiles.OpenLibraryAsync(path) : null;
        var library = new List<double>();
        var baseline = new List<double>();
        try
        {
            if (store is not null)
            {
                Check((await store.GetArtifactsByIdAsync(ids)).Count, ReadCount, "library read");
            }

            Check(raw.ReadByIds(ids).Count, ReadCount, "baseline read");
            for (var rep = 0; rep < ReadReps; rep++)
            {
                if (rep % 2 == 1)
                {
                    baseline.Add(ReadCount / Time(() => raw.ReadByIds(ids)));
                }

                if (store is not null)
                {
                    library.Add(ReadCount / await TimeAsync(() => store.GetArtifactsByIdAsync(ids)));
                }

                if (rep % 2 == 0)
                {
                    baseline.Add(ReadCount / Time(() => raw.ReadByIds(ids)));
                }
            }
        }
        finally
        {
            if (store is not null)
            {
                await store.DisposeAsync();
            }
        }

        Report(files, "read", library, baseline, "artifacts/s", higherIsBetter: true);
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

    private static async Task FilterAsync(BenchFiles files, string path)
    {
        var filter = "properties.shard.int_value = 7";
        using var raw = RawStore.Open(path);
        var library = new List<double>();
        var baseline = new List<double>();
        string? skipped = files.LibraryError;
        IMetadataStore? store = null;
        var options = new ListOptions { PageSize = FilterPage, Filter = filter };
        if (skipped is null)
        {
            store = await BenchFiles.OpenLibraryAsync(path);
            try
            {
                var page = await store.GetArtifactsAsync(options);
                Check(page.Items.Count, FilterPage, "library filter");
            }
            catch (Exception ex) when (ex is MetadataStoreException or NotImplementedException or NotSupportedException)
            {
                skipped = "the library does not run ListOptions.Filter yet (" + ex.Message.Split('\n')[0] + ")";
            }
        }

        try
        {
            Progress("filter: warm-up");
            Check(raw.FilterFirstPage("shard", 7, FilterPage).Count, FilterPage, "baseline filter");
            for (var rep = 0; rep < FilterReps; rep++)
            {
                if (rep % 2 == 1)
                {
                    baseline.Add(1 / Time(() => raw.FilterFirstPage("shard", 7, FilterPage)));
                }

                if (skipped is null)
                {
                    library.Add(1 / await TimeAsync(() => store!.GetArtifactsAsync(options)));
                }

                if (rep % 2 == 0)
                {
                    baseline.Add(1 / Time(() => raw.FilterFirstPage("shard", 7, FilterPage)));
                }
            }
        }
        finally
        {
            if (store is not null)
            {
                await store.DisposeAsync();
            }
        }

        if (skipped is not null)
        {
            Emit($"filter skipped={Sanitize(skipped)}");
            Progress($"filter baseline={Figure(Median(baseline))} queries/s");
            return;
        }

        Report(files, "filter", library, baseline, "queries/s", higherIsBetter: true);
    }

    private static void Stream(BenchFiles files, string path)
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

            if (files.LibraryError is null)
            {
                library.Add(StreamChild.Spawn("stream-library", path, StreamPage));
            }

            if (rep % 2 == 0)
            {
                baseline.Add(StreamChild.Spawn("stream-baseline", path, StreamPage));
            }
        }

        Report(files, "stream", library, baseline, "MB", higherIsBetter: false);
    }

    private static async Task OpenAsync(BenchFiles files, string path)
    {
        var library = new List<double>();
        var baseline = new List<double>();
        Progress("open: warm-up");
        for (var i = 0; i < 3; i++)
        {
            RawOpen();
            if (files.LibraryError is null)
            {
                await LibraryOpenAsync();
            }
        }

        for (var rep = 0; rep < OpenReps; rep++)
        {
            if (rep % 2 == 1)
            {
                baseline.Add(RawOpen());
            }

            if (files.LibraryError is null)
            {
                library.Add(await LibraryOpenAsync());
            }

            if (rep % 2 == 0)
            {
                baseline.Add(RawOpen());
            }
        }

        Report(files, "open", library, baseline, "ms", higherIsBetter: false);

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

    // ---- measuring and printing ----

    internal static void Settle()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    private static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> action)
    {
        var sw = Stopwatch.StartNew();
        await action();
        return sw.Elapsed.TotalSeconds;
    }

    private static void Check(int actual, int expected, string what)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"{what} returned {actual} rows, expected {expected}.");
        }
    }

    private static void Report(BenchFiles files, string scenario, List<double> library, List<double> baseline, string unit, bool higherIsBetter)
    {
        var b = Median(baseline);
        if (library.Count == 0)
        {
            Emit($"{scenario} skipped={Sanitize("library cannot open a store: " + files.LibraryError)} baseline={Figure(b)} {unit}");
            return;
        }

        var l = Median(library);
        var ratio = higherIsBetter ? l / b : b / l;
        Emit($"{scenario} ratio={ratio.ToString("F2", Inv)} library={Figure(l)} baseline={Figure(b)} {unit}");
        Progress($"{scenario} library runs: {string.Join(' ', library.Select(Figure))}; baseline runs: {string.Join(' ', baseline.Select(Figure))}");
    }

    private static double Median(List<double> values)
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

    private static string Sanitize(string reason) => reason.ReplaceLineEndings(" ");

    private static void Emit(string line)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }

    private static void Progress(string message) => Console.Error.WriteLine("# " + message);
}
