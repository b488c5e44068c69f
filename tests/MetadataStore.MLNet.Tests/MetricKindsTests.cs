using FluentAssertions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MetadataStore.MLNet.Tests;

/// <summary>The metrics types beyond regression and classification: each scalar stored equals the metrics object's.</summary>
public sealed class MetricKindsTests
{
    private static async Task<(SavedModel Model, IDataView Test)> TrainAsync(TrackerFixture f, IEstimator<ITransformer> pipeline, IDataView train, IDataView test)
    {
        var run = await f.Tracker.FitAsync(pipeline, train, "memory://train");
        var model = await f.Tracker.SaveModelAsync(run, train.Schema, Path.Combine(f.Folder, "model.zip"));
        return (model, test);
    }

    private static async Task<Artifact> StoredAsync<T>(TrackerFixture f, EvaluationRun<T> evaluation)
    {
        evaluation.IsTracked.Should().BeTrue();
        var stored = (await f.Store.GetArtifactsByIdAsync([evaluation.MetricsArtifactId!.Value])).Single();
        stored.Properties["metrics_type"].StringValue.Should().Be(typeof(T).FullName);
        return stored;
    }

    [Fact]
    public async Task Clustering_metrics()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var rows = Data.Regression(300, seed: 1).Select(r => new { r.X1, r.X2, Label = r.X1 < 0 ? 1f : 2f }).ToList();
        var ml = f.MLContext;
        var pipeline = ml.Transforms.Concatenate("Features", "X1", "X2").Append(ml.Clustering.Trainers.KMeans(numberOfClusters: 2));
        var (model, test) = await TrainAsync(f, pipeline, ml.Data.LoadFromEnumerable(rows.Take(200)), ml.Data.LoadFromEnumerable(rows.Skip(200)));

        var evaluation = await f.Tracker.EvaluateAsync(model, test, "memory://test", s => ml.Clustering.Evaluate(s, labelColumnName: "Label", featureColumnName: "Features"));

        ClusteringMetrics metrics = evaluation.Metrics;
        var stored = await StoredAsync(f, evaluation);
        EvaluationTests.AssertDoubles(stored, metrics);
        EvaluationTests.Doubles(stored)["AverageDistance"].Should().Be(metrics.AverageDistance);
        EvaluationTests.Doubles(stored)["NormalizedMutualInformation"].Should().Be(metrics.NormalizedMutualInformation);
        EvaluationTests.Doubles(stored)["DaviesBouldinIndex"].Should().Be(metrics.DaviesBouldinIndex);
    }

    [Fact]
    public async Task Anomaly_detection_metrics()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var random = new Random(3);
        var rows = Enumerable.Range(0, 400).Select(i =>
        {
            var anomaly = i % 20 == 0;
            var scale = anomaly ? 8f : 1f;
            return new { X1 = (float)random.NextDouble() * scale, X2 = (float)random.NextDouble() * scale, X3 = (float)random.NextDouble(), Label = anomaly ? 1f : 0f };
        }).ToList();
        var ml = f.MLContext;
        var pipeline = ml.Transforms.Concatenate("Features", "X1", "X2", "X3").Append(ml.AnomalyDetection.Trainers.RandomizedPca(featureColumnName: "Features", rank: 1));
        var (model, test) = await TrainAsync(f, pipeline, ml.Data.LoadFromEnumerable(rows.Take(300)), ml.Data.LoadFromEnumerable(rows.Skip(300)));

        var evaluation = await f.Tracker.EvaluateAsync(model, test, "memory://test", s => ml.AnomalyDetection.Evaluate(s, falsePositiveCount: 3));

        AnomalyDetectionMetrics metrics = evaluation.Metrics;
        var stored = await StoredAsync(f, evaluation);
        EvaluationTests.AssertDoubles(stored, metrics);
        EvaluationTests.Doubles(stored)["AreaUnderRocCurve"].Should().Be(metrics.AreaUnderRocCurve);
        EvaluationTests.Doubles(stored)["DetectionRateAtFalsePositiveCount"].Should().Be(metrics.DetectionRateAtFalsePositiveCount);
    }

    [Fact]
    public async Task Ranking_metrics_are_stored_per_truncation_level()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var ml = f.MLContext;
        var rows = Data.Ranking(300, seed: 2);

        // Any scorer can be ranked: a regression of the relevance, grouped by query.
        var pipeline = ml.Transforms.Conversion.MapValueToKey("QueryKey", "Query")
            .Append(ml.Transforms.Concatenate("Features", "X1", "X2"))
            .Append(ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { MaximumNumberOfIterations = 10, NumberOfThreads = 1, Shuffle = false }));
        var (model, test) = await TrainAsync(f, pipeline, ml.Data.LoadFromEnumerable(rows.Take(200)), ml.Data.LoadFromEnumerable(rows.Skip(200)));

        var evaluation = await f.Tracker.EvaluateAsync(model, test, "memory://test", s => ml.Ranking.Evaluate(s, labelColumnName: "Label", rowGroupColumnName: "QueryKey"));

        RankingMetrics metrics = evaluation.Metrics;
        var values = EvaluationTests.Doubles(await StoredAsync(f, evaluation));
        metrics.NormalizedDiscountedCumulativeGains.Should().NotBeEmpty();
        for (var k = 1; k <= metrics.NormalizedDiscountedCumulativeGains.Count; k++)
        {
            values[$"NormalizedDiscountedCumulativeGains@{k}"].Should().Be(metrics.NormalizedDiscountedCumulativeGains[k - 1]);
            values[$"DiscountedCumulativeGains@{k}"].Should().Be(metrics.DiscountedCumulativeGains[k - 1]);
        }

        values.Keys.Should().OnlyContain(k => k.StartsWith("NormalizedDiscountedCumulativeGains@", StringComparison.Ordinal) || k.StartsWith("DiscountedCumulativeGains@", StringComparison.Ordinal));
        MetricGoals.TryGet("NormalizedDiscountedCumulativeGains@3", out var goal).Should().BeTrue();
        goal.Should().Be(MetricGoal.Maximize);
    }
}
