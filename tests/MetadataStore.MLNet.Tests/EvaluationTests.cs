using System.Reflection;
using System.Text.Json;
using FluentAssertions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MetadataStore.MLNet.Tests;

public sealed class EvaluationTests
{
    private static IEstimator<ITransformer> Regression(MLContext ml, float l2, int iterations) =>
        ml.Transforms.Concatenate("Features", "X1", "X2")
            .Append(ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                L2Regularization = l2,
                MaximumNumberOfIterations = iterations,
                Shuffle = false,
                NumberOfThreads = 1,
            }));

    private static async Task<SavedModel> TrainAndSaveAsync(TrackerFixture f, IEstimator<ITransformer> pipeline, IDataView data, string name)
    {
        var run = await f.Tracker.FitAsync(pipeline, data, "file:///train.csv");
        return await f.Tracker.SaveModelAsync(run, data.Schema, Path.Combine(f.Folder, name + ".zip"));
    }

    // The expected values are read independently of the tracker: every public double property, through the type's own getters.
    internal static Dictionary<string, double> DoubleProperties(object metrics) =>
        metrics.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => p.PropertyType == typeof(double))
            .ToDictionary(p => p.Name, p => (double)p.GetValue(metrics)!);

    // Every double property of the metrics object is stored as is, or named in nan_metrics when it is NaN.
    internal static void AssertDoubles(Artifact stored, object metrics)
    {
        var values = Doubles(stored);
        var nan = stored.CustomProperties.TryGetValue("nan_metrics", out var names) ? names.StringValue.Split(',') : [];
        foreach (var (name, value) in DoubleProperties(metrics))
        {
            if (double.IsNaN(value))
            {
                nan.Should().Contain(name);
            }
            else
            {
                values.Should().ContainKey(name).WhoseValue.Should().Be(value, name);
            }
        }
    }

    internal static Dictionary<string, double> Doubles(Artifact metrics) =>
        metrics.CustomProperties.Where(p => p.Value.Kind == PropertyKind.Double).ToDictionary(p => p.Key, p => p.Value.DoubleValue);

    // The stored matrix is compared with ML.NET's own, cell by cell.
    internal static void AssertConfusionMatrix(Artifact metrics, ConfusionMatrix expected)
    {
        using var json = JsonDocument.Parse(metrics.CustomProperties["confusion_matrix"].StructJson);
        json.RootElement.GetProperty("classes").GetInt32().Should().Be(expected.NumberOfClasses);
        var counts = json.RootElement.GetProperty("counts").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetDouble()).ToList()).ToList();
        counts.Should().HaveCount(expected.NumberOfClasses);
        for (var i = 0; i < expected.NumberOfClasses; i++)
        {
            counts[i].Should().Equal(expected.Counts[i]);
        }

        json.RootElement.GetProperty("per_class_recall").EnumerateArray().Select(v => v.GetDouble()).Should().Equal(expected.PerClassRecall);
    }

    [Fact]
    public async Task Regression_evaluation_records_every_scalar_metric_linked_to_model_and_data()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var train = f.MLContext.Data.LoadFromEnumerable(Data.Regression(200, seed: 1));
        var test = f.MLContext.Data.LoadFromEnumerable(Data.Regression(80, seed: 2));
        var model = await TrainAndSaveAsync(f, Regression(f.MLContext, 0.1f, 20), train, "m");

        var evaluation = await f.Tracker.EvaluateAsync(model, test, "file:///test.csv", scored => f.MLContext.Regression.Evaluate(scored));

        RegressionMetrics metrics = evaluation.Metrics;
        var expected = DoubleProperties(metrics);
        expected.Keys.Should().Contain(["RSquared", "MeanAbsoluteError", "MeanSquaredError", "RootMeanSquaredError", "LossFunction"]);
        var stored = (await f.Store.GetArtifactsByIdAsync([evaluation.MetricsArtifactId!.Value])).Single();
        stored.TypeName.Should().Be(MLNetTypeNames.Metrics);
        stored.Properties["metrics_type"].StringValue.Should().Be(typeof(RegressionMetrics).FullName);
        stored.CustomProperties.Where(p => p.Key != "nan_metrics").ToDictionary(p => p.Key, p => p.Value.DoubleValue).Should().BeEquivalentTo(expected);
        evaluation.RecordedMetrics.Should().BeEquivalentTo(expected);
        stored.CustomProperties["RSquared"].DoubleValue.Should().Be(metrics.RSquared);

        var events = await f.Store.GetEventsByExecutionIdsAsync([evaluation.ExecutionId!.Value]);
        events.Should().HaveCount(3);
        events.Single(e => e.Path[0].Key == MLNetTypeNames.ModelRole).Should().Match<Event>(e => e.Type == EventType.Input && e.ArtifactId == model.ArtifactId);
        events.Single(e => e.Path[0].Key == MLNetTypeNames.EvaluationDataRole).Should().Match<Event>(e => e.Type == EventType.Input && e.ArtifactId == evaluation.EvaluationData!.ArtifactId);
        events.Single(e => e.Path[0].Key == MLNetTypeNames.MetricsRole).Should().Match<Event>(e => e.Type == EventType.Output && e.ArtifactId == evaluation.MetricsArtifactId);
        evaluation.EvaluationData!.RowCount.Should().Be(80);

        // The metrics trace back through the evaluation and the model to the training data.
        var provenance = await f.Store.GetProvenanceAsync(LineageNodeId.Artifact(evaluation.MetricsArtifactId!.Value));
        provenance.Artifacts.Select(a => a.StoredId).Should().Contain([model.ArtifactId!.Value, evaluation.EvaluationData!.ArtifactId]);
        provenance.Executions.Select(e => e.StoredId).Should().Contain(model.TrainingExecutionId!.Value);
    }

    [Fact]
    public async Task Binary_evaluation_records_the_calibrated_metrics_including_inherited_ones()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var train = f.MLContext.Data.LoadFromEnumerable(Data.Binary(200, seed: 1));
        var test = f.MLContext.Data.LoadFromEnumerable(Data.Binary(100, seed: 2));
        var pipeline = f.MLContext.Transforms.Concatenate("Features", "X1", "X2")
            .Append(f.MLContext.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options { L2Regularization = 0.5f }));
        var model = await TrainAndSaveAsync(f, pipeline, train, "b");

        var evaluation = await f.Tracker.EvaluateAsync(model, test, "file:///test.csv", scored => f.MLContext.BinaryClassification.Evaluate(scored));

        CalibratedBinaryClassificationMetrics metrics = evaluation.Metrics;
        var stored = (await f.Store.GetArtifactsByIdAsync([evaluation.MetricsArtifactId!.Value])).Single();
        stored.Properties["metrics_type"].StringValue.Should().Be(typeof(CalibratedBinaryClassificationMetrics).FullName);
        var values = Doubles(stored);
        AssertDoubles(stored, metrics);
        AssertConfusionMatrix(stored, metrics.ConfusionMatrix);
        values["LogLoss"].Should().Be(metrics.LogLoss);
        values["AreaUnderRocCurve"].Should().Be(metrics.AreaUnderRocCurve);
        values["Accuracy"].Should().Be(metrics.Accuracy);
        values["F1Score"].Should().Be(metrics.F1Score);
    }

    [Fact]
    public async Task Multiclass_evaluation_records_its_scalar_metrics()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var rows = Data.Regression(240, seed: 4).Select(r => new { r.X1, r.X2, Label = r.X1 < -1.5f ? "low" : r.X1 < 1.5f ? "mid" : "high" }).ToList();
        var train = f.MLContext.Data.LoadFromEnumerable(rows.Take(160));
        var test = f.MLContext.Data.LoadFromEnumerable(rows.Skip(160));
        var pipeline = f.MLContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(f.MLContext.Transforms.Concatenate("Features", "X1", "X2"))
            .Append(f.MLContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy());
        var model = await TrainAndSaveAsync(f, pipeline, train, "c");

        var evaluation = await f.Tracker.EvaluateAsync(model, test, "file:///test.csv", scored => f.MLContext.MulticlassClassification.Evaluate(scored, topKPredictionCount: 2));

        MulticlassClassificationMetrics metrics = evaluation.Metrics;
        var stored = (await f.Store.GetArtifactsByIdAsync([evaluation.MetricsArtifactId!.Value])).Single();
        var values = Doubles(stored);
        AssertDoubles(stored, metrics);
        values["TopKPredictionCount"].Should().Be(metrics.TopKPredictionCount);
        metrics.TopKAccuracyForAllK.Should().HaveCount(2);
        for (var k = 1; k <= metrics.TopKAccuracyForAllK.Count; k++)
        {
            values[$"TopKAccuracyForAllK@{k}"].Should().Be(metrics.TopKAccuracyForAllK[k - 1]);
        }

        for (var c = 0; c < metrics.PerClassLogLoss.Count; c++)
        {
            values[$"PerClassLogLoss[{c}]"].Should().Be(metrics.PerClassLogLoss[c]);
        }

        AssertConfusionMatrix(stored, metrics.ConfusionMatrix);
        values["MicroAccuracy"].Should().Be(metrics.MicroAccuracy);
        values["MacroAccuracy"].Should().Be(metrics.MacroAccuracy);
        values["LogLoss"].Should().Be(metrics.LogLoss);
    }

    [Fact]
    public async Task The_leaderboard_ranks_the_models_evaluated_on_the_same_data_by_a_metric()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var train = f.MLContext.Data.LoadFromEnumerable(Data.Regression(200, seed: 1));
        var models = new List<SavedModel>
        {
            await TrainAndSaveAsync(f, Regression(f.MLContext, 5f, 2), train, "weak"),
            await TrainAndSaveAsync(f, Regression(f.MLContext, 0.01f, 30), train, "strong"),
            await TrainAndSaveAsync(f, Regression(f.MLContext, 1f, 5), train, "middle"),
        };
        var holdout = Data.Regression(100, seed: 7);
        var evaluations = new List<EvaluationRun<RegressionMetrics>>();
        foreach (var model in models)
        {
            // A fresh view of equal rows: the data set is found by content, not by object.
            var view = f.MLContext.Data.LoadFromEnumerable(holdout.ToList());
            evaluations.Add(await f.Tracker.EvaluateAsync(model, view, "file:///holdout.csv", s => f.MLContext.Regression.Evaluate(s)));
        }

        // Evaluated on other data: not on this leaderboard.
        var other = await f.Tracker.EvaluateAsync(models[0], f.MLContext.Data.LoadFromEnumerable(Data.Regression(100, seed: 99)), "file:///other.csv", s => f.MLContext.Regression.Evaluate(s));
        evaluations.Select(e => e.EvaluationData!.ArtifactId).Distinct().Should().ContainSingle();
        other.EvaluationData!.ArtifactId.Should().NotBe(evaluations[0].EvaluationData!.ArtifactId);
        var hash = evaluations[0].EvaluationData!.ContentHash;

        var byR2 = await f.Tracker.GetLeaderboardAsync(hash, "RSquared", MetricGoal.Maximize);
        var byMae = await f.Tracker.GetLeaderboardAsync(hash, "MeanAbsoluteError", MetricGoal.Minimize);

        var expectedByR2 = evaluations.Select((e, i) => (Model: models[i].ArtifactId!.Value, e.Metrics.RSquared)).OrderByDescending(x => x.RSquared).ToList();
        expectedByR2.Select(x => x.RSquared).Should().OnlyHaveUniqueItems();
        byR2.Select(e => e.Model.StoredId).Should().Equal(expectedByR2.Select(x => x.Model));
        byR2.Select(e => e.Value).Should().Equal(expectedByR2.Select(x => x.RSquared));
        byR2.Select(e => e.Rank).Should().Equal(1, 2, 3);
        byR2.Select(e => e.EvaluationExecutionId).Should().BeSubsetOf(evaluations.Select(e => e.ExecutionId!.Value));
        byR2[0].Metrics.StoredId.Should().Be(evaluations.Single(e => e.Metrics.RSquared == expectedByR2[0].RSquared).MetricsArtifactId!.Value);

        var expectedByMae = evaluations.Select((e, i) => (Model: models[i].ArtifactId!.Value, e.Metrics.MeanAbsoluteError)).OrderBy(x => x.MeanAbsoluteError).ToList();
        byMae.Select(e => e.Model.StoredId).Should().Equal(expectedByMae.Select(x => x.Model));

        (await f.Tracker.GetLeaderboardAsync(other.EvaluationData!.ContentHash, "RSquared", MetricGoal.Maximize))
            .Should().ContainSingle().Which.Model.StoredId.Should().Be(models[0].ArtifactId);
        (await f.Tracker.GetLeaderboardAsync(hash, "NoSuchMetric", MetricGoal.Maximize)).Should().BeEmpty();
        (await f.Tracker.GetLeaderboardAsync(new string('0', 64), "RSquared", MetricGoal.Maximize)).Should().BeEmpty();
    }

    [Fact]
    public async Task The_training_data_is_not_on_the_leaderboard_of_evaluations()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var rows = Data.Regression(150, seed: 1);
        var model = await TrainAndSaveAsync(f, Regression(f.MLContext, 0.1f, 10), f.MLContext.Data.LoadFromEnumerable(rows), "m");

        // Trained on this data but never evaluated on it.
        var trainingHash = await TrainingHash(f, model);
        (await f.Tracker.GetLeaderboardAsync(trainingHash, "RSquared", MetricGoal.Maximize)).Should().BeEmpty();

        // Evaluated on its own training data: now it is.
        var evaluation = await f.Tracker.EvaluateAsync(model, f.MLContext.Data.LoadFromEnumerable(rows), "file:///train.csv", s => f.MLContext.Regression.Evaluate(s));
        evaluation.EvaluationData!.ContentHash.Should().Be(trainingHash);
        (await f.Tracker.GetLeaderboardAsync(trainingHash, "RSquared", MetricGoal.Maximize))
            .Should().ContainSingle().Which.Value.Should().Be(evaluation.Metrics.RSquared);
    }

    private static async Task<string> TrainingHash(TrackerFixture f, SavedModel model)
    {
        var input = (await f.Store.GetEventsByExecutionIdsAsync([model.TrainingExecutionId!.Value])).Single(e => e.Type == EventType.Input);
        return (await f.Store.GetArtifactsByIdAsync([input.ArtifactId!.Value])).Single().Properties["content_hash"].StringValue;
    }
}
