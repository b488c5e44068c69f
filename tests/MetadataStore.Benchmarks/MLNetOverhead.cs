using System.Diagnostics;
using System.Globalization;
using MetadataStore.MLNet;
using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace MetadataStore.Benchmarks;

/// <summary>
/// <c>mlnet-overhead</c>: the same 100k-row pipeline fitted through <see cref="MLNetTracker.FitAsync{TTransformer}"/>
/// and fitted directly, alternating in this process. The tracked fit includes everything the tracker adds: the
/// cursor pass that hashes the rows and computes the column statistics, the schema replay, the options read and the
/// store writes (to a SQLite file). The run context (git, environment) is read once per tracker, in the warm-up.
/// <c>recording-alone</c> is the same recording around a fit that does no work (a column copy): what tracking costs
/// in itself, which on a loaded machine is a steadier figure than the difference of two noisy fits.
/// </summary>
internal static class MLNetOverhead
{
    private const int Rows = 100_000;
    private const int Reps = 5;

    public static async Task RunAsync(BenchFiles files)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Generate(Rows));
        await using var store = await new MetadataStoreBuilder().UseSqliteFile(Path.Combine(files.Root, "mlnet.db")).OpenAsync();
        var tracker = new MLNetTracker(store, ml);

        QuickRunner.Progress("mlnet-overhead: warm-up");
        Untracked(ml, data);
        await TrackedAsync(ml, tracker, data);

        var tracked = new List<double>();
        var untracked = new List<double>();
        for (var rep = 0; rep < Reps; rep++)
        {
            QuickRunner.Progress($"mlnet-overhead: repetition {rep + 1}/{Reps}");
            if (rep % 2 == 0)
            {
                untracked.Add(Untracked(ml, data));
                tracked.Add(await TrackedAsync(ml, tracker, data));
            }
            else
            {
                tracked.Add(await TrackedAsync(ml, tracker, data));
                untracked.Add(Untracked(ml, data));
            }
        }

        // What tracking costs on its own: the same recording around a fit that does no work.
        var alone = new List<double>();
        for (var rep = 0; rep < Reps; rep++)
        {
            var sw = Stopwatch.StartNew();
            var run = await tracker.FitAsync(ml.Transforms.CopyColumns("X1Copy", "X1"), data, "memory://mlnet-overhead");
            alone.Add(sw.Elapsed.TotalSeconds);
            if (run.TrainingData?.RowCount != Rows)
            {
                throw new InvalidOperationException("The recording did not read every row.", run.TrackingError);
            }
        }

        var a = QuickRunner.Median(alone);
        var t = QuickRunner.Median(tracked);
        var u = QuickRunner.Median(untracked);
        var inv = CultureInfo.InvariantCulture;
        QuickRunner.Emit(string.Create(inv, $"mlnet-overhead ratio={u / t:F2} overhead={(t / u - 1) * 100:F1}% tracked={t:F2} untracked={u:F2} recording-alone={a:F3} s/fit ({Rows:N0} rows, 7 columns; hash, statistics, schema replay and store writes included)"));
        QuickRunner.Progress(string.Create(inv, $"mlnet-overhead tracked runs: {string.Join(' ', tracked.Select(x => x.ToString("F2", inv)))}; untracked runs: {string.Join(' ', untracked.Select(x => x.ToString("F2", inv)))}"));
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml) =>
        ml.Transforms.Categorical.OneHotEncoding("RegionKey", "Region")
            .Append(ml.Transforms.Concatenate("Features", "X1", "X2", "X3", "X4", "X5", "RegionKey"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { MaximumNumberOfIterations = 10, L2Regularization = 0.01f }));

    private static double Untracked(MLContext ml, IDataView data)
    {
        var sw = Stopwatch.StartNew();
        var model = Pipeline(ml).Fit(data);
        sw.Stop();
        GC.KeepAlive(model);
        return sw.Elapsed.TotalSeconds;
    }

    private static async Task<double> TrackedAsync(MLContext ml, MLNetTracker tracker, IDataView data)
    {
        var sw = Stopwatch.StartNew();
        var run = await tracker.FitAsync(Pipeline(ml), data, "memory://mlnet-overhead");
        sw.Stop();
        if (!run.IsTracked)
        {
            throw new InvalidOperationException("The tracked fit was not recorded.", run.TrackingError);
        }

        return sw.Elapsed.TotalSeconds;
    }

    private static List<Row> Generate(int count)
    {
        string[] regions = ["north", "south", "east", "west", "centre"];
        var random = new Random(7);
        var rows = new List<Row>(count);
        for (var i = 0; i < count; i++)
        {
            var x = new float[5];
            for (var j = 0; j < x.Length; j++)
            {
                x[j] = (float)random.NextDouble();
            }

            var region = random.Next(regions.Length);
            rows.Add(new Row
            {
                X1 = x[0],
                X2 = x[1],
                X3 = x[2],
                X4 = x[3],
                X5 = x[4],
                Region = regions[region],
                Label = (3 * x[0]) - (2 * x[1]) + x[2] + region + (float)(random.NextDouble() * 0.1),
            });
        }

        return rows;
    }

    private sealed class Row
    {
        public float X1 { get; set; }

        public float X2 { get; set; }

        public float X3 { get; set; }

        public float X4 { get; set; }

        public float X5 { get; set; }

        public string Region { get; set; } = string.Empty;

        public float Label { get; set; }
    }
}
