using FluentAssertions;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MetadataStore.MLNet.Tests;

public sealed class ComparisonTests
{
    private static async Task<(TrainingRun<ITransformer> Run, SavedModel Model)> TrainAsync(TrackerFixture f, float l2, List<RegressionRow> rows, string name)
    {
        var data = f.MLContext.Data.LoadFromEnumerable(rows);
        var run = await f.Tracker.FitAsync(RecordingTests.Pipeline(f.MLContext, l2), data, "memory://train");
        return (run, await f.Tracker.SaveModelAsync(run, data.Schema, Path.Combine(f.Folder, name + ".zip")));
    }

    private static Task<EvaluationRun<RegressionMetrics>> EvaluateAsync(TrackerFixture f, SavedModel model, List<RegressionRow> holdout) =>
        f.Tracker.EvaluateAsync(model, f.MLContext.Data.LoadFromEnumerable(holdout), "memory://holdout", s => f.MLContext.Regression.Evaluate(s));

    [Fact]
    public async Task The_regression_check_compares_each_metric_in_its_direction_with_the_best_earlier_model()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var train = Data.Regression(300, seed: 1);
        var holdout = Data.Regression(100, seed: 9);
        var (_, good) = await TrainAsync(f, 0.01f, train, "good");
        var (_, bad) = await TrainAsync(f, 50f, train, "bad");
        var (_, better) = await TrainAsync(f, 0.001f, train, "better");

        var goodEval = await EvaluateAsync(f, good, holdout);
        var hash = goodEval.EvaluationData!.ContentHash;
        var first = await f.Tracker.CheckRegressionAsync(good.ArtifactId!.Value, hash, "RSquared");
        first.Verdict.Should().Be(RegressionVerdict.NoBaseline);
        first.Passed.Should().BeTrue();
        first.Baseline.Should().BeNull();

        var badEval = await EvaluateAsync(f, bad, holdout);
        badEval.Metrics.RSquared.Should().BeLessThan(goodEval.Metrics.RSquared, "the heavy regularisation must hurt for this test to mean anything");
        var check = await f.Tracker.CheckRegressionAsync(bad.ArtifactId!.Value, hash, "RSquared");

        check.Verdict.Should().Be(RegressionVerdict.Regressed);
        check.Passed.Should().BeFalse();
        check.Baseline!.Model.StoredId.Should().Be(good.ArtifactId!.Value);
        check.Candidate.Model.StoredId.Should().Be(bad.ArtifactId!.Value);
        var byName = check.Metrics.ToDictionary(m => m.Metric);
        byName["RSquared"].Should().Match<MetricComparison>(m => m.Outcome == MetricOutcome.Regressed && m.Goal == MetricGoal.Maximize
            && m.Candidate == badEval.Metrics.RSquared && m.Baseline == goodEval.Metrics.RSquared);
        byName["MeanAbsoluteError"].Should().Match<MetricComparison>(m => m.Outcome == MetricOutcome.Regressed && m.Goal == MetricGoal.Minimize);
        byName["RootMeanSquaredError"].Outcome.Should().Be(MetricOutcome.Regressed);
        check.Regressions.Select(m => m.Metric).Should().Contain(["RSquared", "MeanAbsoluteError", "MeanSquaredError", "RootMeanSquaredError", "LossFunction"]);
        check.ToString().Should().StartWith("Regressed");

        // A generous tolerance lets the same candidate pass.
        var tolerant = await f.Tracker.CheckRegressionAsync(bad.ArtifactId!.Value, hash, "RSquared", new RegressionCheckOptions { Tolerance = 1e6 });
        tolerant.Verdict.Should().Be(RegressionVerdict.Passed);
        tolerant.Metrics.Should().OnlyContain(m => m.Outcome == MetricOutcome.Unchanged);

        var betterEval = await EvaluateAsync(f, better, holdout);
        var improved = await f.Tracker.CheckRegressionAsync(better.ArtifactId!.Value, hash, "MeanSquaredError");
        improved.Baseline!.Model.StoredId.Should().Be(good.ArtifactId!.Value, "the best earlier model by MSE, not the latest");
        var mse = improved.Metrics.Single(m => m.Metric == "MeanSquaredError");
        mse.Delta.Should().Be(betterEval.Metrics.MeanSquaredError - goodEval.Metrics.MeanSquaredError);
        improved.Verdict.Should().Be(mse.Outcome == MetricOutcome.Regressed || improved.Metrics.Any(m => m.Outcome == MetricOutcome.Regressed) ? RegressionVerdict.Regressed : RegressionVerdict.Passed);
    }

    [Fact]
    public async Task The_regression_check_refuses_an_unknown_metric_and_a_model_never_evaluated_there()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var (_, model) = await TrainAsync(f, 0.1f, Data.Regression(100, seed: 1), "m");
        var evaluation = await EvaluateAsync(f, model, Data.Regression(50, seed: 2));
        var hash = evaluation.EvaluationData!.ContentHash;

        var unknown = () => f.Tracker.CheckRegressionAsync(model.ArtifactId!.Value, hash, "Entropy");
        (await unknown.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
        var elsewhere = () => f.Tracker.CheckRegressionAsync(model.ArtifactId!.Value, new string('0', 64), "RSquared");
        (await elsewhere.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.NotFound);
        var negative = () => f.Tracker.CheckRegressionAsync(model.ArtifactId!.Value, hash, "RSquared", new RegressionCheckOptions { Tolerance = -1 });
        (await negative.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);

        // A goal given for a metric without one makes it usable.
        var given = await f.Tracker.CheckRegressionAsync(model.ArtifactId!.Value, hash, "LossFunction", new RegressionCheckOptions { Goals = new Dictionary<string, MetricGoal> { ["LossFunction"] = MetricGoal.Minimize } });
        given.Verdict.Should().Be(RegressionVerdict.NoBaseline);
    }

    [Fact]
    public async Task The_diff_of_two_trainings_shows_only_what_differs()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var holdout = Data.Regression(80, seed: 5);
        var (a, modelA) = await TrainAsync(f, 0.1f, Data.Regression(150, seed: 1), "a");
        var (b, modelB) = await TrainAsync(f, 0.7f, Data.Regression(170, seed: 2), "b");
        var evalA = await EvaluateAsync(f, modelA, holdout);
        var evalB = await EvaluateAsync(f, modelB, holdout);

        var diff = await f.Tracker.DiffTrainingRunsAsync(a.ExecutionId!.Value, b.ExecutionId!.Value);

        diff.IsEmpty.Should().BeFalse();
        diff.Hyperparameters.Should().ContainSingle().Which.Should().Be(new PropertyDifference("stage.1.L2Regularization", 0.1, 0.7));
        diff.Data.Select(d => d.Name).Should().Contain(["content_hash", "row_count", "column.X1.mean"]).And.NotContain("uri");

        // Both came from the same URI with other content: the second is its next version.
        diff.Data.Single(d => d.Name == "version").Should().Be(new PropertyDifference("version", 1L, 2L));
        diff.Data.Single(d => d.Name == "row_count").Should().Be(new PropertyDifference("row_count", 150L, 170L));
        diff.Schema.Should().BeEmpty("the same pipeline on the same columns");
        diff.Context.Should().BeEmpty("both ran in this process");
        diff.Metrics.Single(d => d.Name == "RSquared").Should().Be(new PropertyDifference("RSquared", evalA.Metrics.RSquared, evalB.Metrics.RSquared));

        var same = await f.Tracker.DiffTrainingRunsAsync(a.ExecutionId!.Value, a.ExecutionId!.Value);
        same.IsEmpty.Should().BeTrue();

        var missing = () => f.Tracker.DiffTrainingRunsAsync(a.ExecutionId!.Value, evalA.ExecutionId!.Value);
        (await missing.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.NotFound);
    }

    [Fact]
    public async Task The_diff_shows_a_changed_schema()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var ml = f.MLContext;
        var data = ml.Data.LoadFromEnumerable(Data.Regression(100, seed: 1));
        var a = await f.Tracker.FitAsync(RecordingTests.Pipeline(ml), data, "memory://train");
        var withDrop = ml.Transforms.DropColumns("Extra").Append(RecordingTests.Pipeline(ml));
        var b = await f.Tracker.FitAsync(withDrop, data, "memory://train");

        var diff = await f.Tracker.DiffTrainingRunsAsync(a.ExecutionId!.Value, b.ExecutionId!.Value);

        diff.Data.Should().BeEmpty("the same data");
        diff.Schema.Select(d => d.Name).Should().Contain(["stage.0.schema_change", "stage.1.schema_change", "stage.2.schema_change"]);
        diff.Schema.Single(d => d.Name == "stage.2.schema_change").First.Should().BeNull();
        diff.Hyperparameters.Select(d => d.Name).Should().Contain(["stage_count", "stage.0.estimator"]);
    }
}
