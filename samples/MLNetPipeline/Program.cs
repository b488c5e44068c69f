// MLNetPipeline: generates house-price data as CSV files, trains two real ML.NET models (SDCA with two
// regularisation strengths), saves and evaluates both through MLNetTracker, then reads back from the store: the
// lineage of the better model, the leaderboard on the test data, the regression check of the second model against
// the first and what differs between the two trainings. Exits with 1 if the store could not record.
using System.Globalization;
using System.Text.Json;
using MetadataStore;
using MetadataStore.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

const string DatabasePath = "mlnet.db";
foreach (var file in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm", "train.csv", "test.csv", "light.zip", "heavy.zip" })
{
    File.Delete(file);
}

WriteHouses("train.csv", 2_000, seed: 1);
WriteHouses("test.csv", 500, seed: 2);

var ml = new MLContext(seed: 1);
await using IMetadataStore store = await new MetadataStoreBuilder().UseSqliteFile(DatabasePath).OpenAsync();
var tracker = new MLNetTracker(store, ml, new MLNetTrackerOptions { EnvironmentVariables = ["DOTNET_ENVIRONMENT", "CI"] });

IDataView train = ml.Data.LoadFromTextFile<House>("train.csv", hasHeader: true, separatorChar: ',');
IDataView test = ml.Data.LoadFromTextFile<House>("test.csv", hasHeader: true, separatorChar: ',');

IEstimator<ITransformer> Pipeline(float l2) =>
    ml.Transforms.Categorical.OneHotEncoding("DistrictKey", "District")
        .Append(ml.Transforms.Concatenate("Features", "Size", "Rooms", "Age", "DistrictKey"))
        .Append(ml.Transforms.NormalizeMinMax("Features"))
        .Append(ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { L2Regularization = l2, MaximumNumberOfIterations = 50, Shuffle = false, NumberOfThreads = 1 }));

var models = new List<(string Name, TrainingRun<ITransformer> Run, SavedModel Model, EvaluationRun<RegressionMetrics> Evaluation)>();
foreach (var (name, l2) in new[] { ("light", 0.001f), ("heavy", 5f) })
{
    var run = await tracker.FitAsync(Pipeline(l2), train, "train.csv");
    var saved = await tracker.SaveModelAsync(run, train.Schema, name + ".zip");
    var evaluation = await tracker.EvaluateAsync(saved, test, "test.csv", scored => ml.Regression.Evaluate(scored));
    if (!run.IsTracked || !saved.IsTracked || !evaluation.IsTracked)
    {
        Console.Error.WriteLine($"The store did not record model '{name}': {run.TrackingError ?? saved.TrackingError ?? evaluation.TrackingError}");
        return 1;
    }

    models.Add((name, run, saved, evaluation));
    Console.WriteLine(Invariant($"Trained '{name}' (L2 {l2}): R^2 {evaluation.Metrics.RSquared:F4}, MAE {evaluation.Metrics.MeanAbsoluteError:F2} on {evaluation.EvaluationData!.RowCount} test rows"));
}

var testHash = models[0].Evaluation.EvaluationData!.ContentHash;
Console.WriteLine();

// The leaderboard on the test data, read back from the store (the same content hash, whatever its URI).
var board = await tracker.GetLeaderboardAsync(testHash, "RSquared", MetricGoal.Maximize);
Console.WriteLine("Leaderboard on test.csv by R^2:");
foreach (var entry in board)
{
    Console.WriteLine(Invariant($"  {entry.Rank}. {Path.GetFileName(new Uri(entry.Model.Uri!).LocalPath)}  R^2 {entry.Value:F4}  MAE {entry.Metrics.CustomProperties["MeanAbsoluteError"].DoubleValue:F2}"));
}

Console.WriteLine();

// The lineage of the better model: everything upstream of its metrics, from the store.
var best = board[0];
var lineage = await store.GetProvenanceAsync(LineageNodeId.Artifact(best.Metrics.StoredId));
Console.WriteLine($"Lineage of the better model's metrics ({lineage.Nodes.Count} nodes):");
foreach (var node in lineage.Nodes.OrderBy(n => lineage.Hops[n]).ThenBy(n => n.ToString()))
{
    var inputs = lineage.Inputs(node).Select(i => Describe(lineage.GetNode(i)!)).ToList();
    Console.WriteLine($"  hop {lineage.Hops[node]}: {Describe(lineage.GetNode(node)!)}{(inputs.Count == 0 ? string.Empty : " <- " + string.Join(", ", inputs))}");
}

var training = lineage.Executions.Single(e => e.TypeName == MLNetTypeNames.Training);
Console.WriteLine("  recorded with the training:");
foreach (var name in new[] { "stage.3.estimator", "stage.3.L2Regularization", "stage.3.MaximumNumberOfIterations", "seed", "dotnet_version", "git_commit" })
{
    Console.WriteLine($"    {name} = {(training.CustomProperties.TryGetValue(name, out var value) ? value : "(none)")}");
}

for (var stage = 0; stage < training.Properties["stage_count"].IntValue; stage++)
{
    using var change = JsonDocument.Parse(training.CustomProperties[$"stage.{stage}.schema_change"].StructJson);
    var added = change.RootElement.GetProperty("added").EnumerateArray().Select(c => $"+{c.GetProperty("name").GetString()}:{c.GetProperty("type").GetString()}");
    var removed = change.RootElement.GetProperty("removed").EnumerateArray().Select(c => $"-{c.GetString()}");
    var retyped = change.RootElement.GetProperty("retyped").EnumerateArray().Select(c => $"~{c.GetProperty("name").GetString()}:{c.GetProperty("from").GetString()}->{c.GetProperty("to").GetString()}");
    var estimator = training.CustomProperties[$"stage.{stage}.estimator"].StringValue.Split('.')[^1];
    var changes = added.Concat(removed).Concat(retyped).ToList();
    Console.WriteLine($"    stage {stage} {estimator}: {(changes.Count == 0 ? "same columns (rewritten in place)" : string.Join(" ", changes))}");
}

Console.WriteLine();

// The regression check a CI step would run: the second model against the best model evaluated before it.
var check = await tracker.CheckRegressionAsync(models[1].Model.ArtifactId!.Value, testHash, "RSquared");
Console.WriteLine($"Regression check of 'heavy' against the best earlier model: {check}");
foreach (var metric in check.Metrics.Where(m => m.Outcome != MetricOutcome.NotCompared))
{
    Console.WriteLine(Invariant($"  {metric.Metric,-22} {metric.Outcome,-10} candidate {metric.Candidate:G6}  baseline {metric.Baseline:G6}  ({metric.Goal})"));
}

Console.WriteLine();

// What differs between the two trainings.
var diff = await tracker.DiffTrainingRunsAsync(models[0].Run.ExecutionId!.Value, models[1].Run.ExecutionId!.Value);
Console.WriteLine("Difference between the two trainings:");
foreach (var (kind, differences) in new[] { ("hyperparameters", diff.Hyperparameters), ("data", diff.Data), ("schema", diff.Schema), ("metrics", diff.Metrics), ("context", diff.Context) })
{
    Console.WriteLine($"  {kind}: {(differences.Count == 0 ? "same" : string.Join("; ", differences.Select(d => $"{d.Name} {d.First} -> {d.Second}")))}");
}

// The exit code a CI step acts on: this sample expects the heavily regularised model to regress.
return check.Verdict == RegressionVerdict.Regressed ? 0 : 1;

static string Describe(MetadataNode node) => node switch
{
    Artifact { TypeName: MLNetTypeNames.Dataset } a => $"{a.TypeName} {a.Uri} ({a.Properties["row_count"]} rows, sha256 {a.Properties["content_hash"].StringValue[..12]})",
    Artifact { TypeName: MLNetTypeNames.Model } a => $"{a.TypeName} {Path.GetFileName(new Uri(a.Uri!).LocalPath)} (sha256 {a.Properties["sha256"].StringValue[..12]})",
    Artifact a => $"{a.TypeName} #{a.Id}",
    Execution e => $"{e.TypeName} #{e.Id} [{e.LastKnownState}]",
    _ => node.ToString()!,
};

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

static void WriteHouses(string path, int count, int seed)
{
    string[] districts = ["north", "south", "harbour", "old-town"];
    var random = new Random(seed);
    var lines = new List<string> { "Size,Rooms,Age,District,Price" };
    for (var i = 0; i < count; i++)
    {
        var size = 40 + (random.NextDouble() * 160);
        var rooms = 1 + random.Next(6);
        var age = random.Next(80);
        var district = random.Next(districts.Length);
        var price = (size * 3.1) + (rooms * 12) - (age * 0.8) + (district * 40) + (random.NextDouble() * 30);
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{size:F1},{rooms},{age},{districts[district]},{price:F1}"));
    }

    File.WriteAllLines(path, lines);
}

/// <summary>A row of the generated CSV files.</summary>
internal sealed class House
{
    [LoadColumn(0)]
    public float Size { get; set; }

    [LoadColumn(1)]
    public float Rooms { get; set; }

    [LoadColumn(2)]
    public float Age { get; set; }

    [LoadColumn(3)]
    public string District { get; set; } = string.Empty;

    [LoadColumn(4)]
    [ColumnName("Label")]
    public float Price { get; set; }
}
