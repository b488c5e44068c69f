using FluentAssertions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MetadataStore.MLNet.Tests;

/// <summary>A store that fails never fails the ML.NET workflow: results come back with the failure reported.</summary>
public sealed class FailureTests
{
    [Fact]
    public async Task A_disposed_store_leaves_fit_save_and_evaluate_working_and_reports_the_failure()
    {
        var ml = new MLContext(seed: 1);
        var store = await new MetadataStoreBuilder().UseInMemorySqlite().OpenAsync();
        var logger = new ListLogger();
        var tracker = new MLNetTracker(store, ml, new MLNetTrackerOptions { Logger = logger });
        await store.DisposeAsync();
        var folder = Directory.CreateTempSubdirectory("mlnet-fail-").FullName;
        try
        {
            var train = ml.Data.LoadFromEnumerable(Data.Regression(120, seed: 1));

            var run = await tracker.FitAsync(RecordingTests.Pipeline(ml), train, "memory://train");

            run.IsTracked.Should().BeFalse();
            run.TrackingError.Should().NotBeNull();
            run.ExecutionId.Should().BeNull();
            run.TrainingData.Should().BeNull();
            var untracked = ml.Transforms.Concatenate("Features", "X1", "X2").Append(ml.Regression.Trainers.Sdca(new() { L2Regularization = 0.1f, MaximumNumberOfIterations = 10, Shuffle = false, NumberOfThreads = 1 })).Fit(train);
            Scores(run.Model, train).Should().Equal(Scores(untracked, train), "the tracked fit is the same fit");

            var saved = await tracker.SaveModelAsync(run, train.Schema, Path.Combine(folder, "m.zip"));
            File.Exists(saved.Path).Should().BeTrue();
            saved.IsTracked.Should().BeFalse();
            saved.ArtifactId.Should().BeNull();

            var evaluation = await tracker.EvaluateAsync(saved, ml.Data.LoadFromEnumerable(Data.Regression(50, seed: 2)), "memory://test", s => ml.Regression.Evaluate(s));
            evaluation.IsTracked.Should().BeFalse();
            evaluation.Metrics.RSquared.Should().BeGreaterThan(0.9);
            evaluation.RecordedMetrics["RSquared"].Should().Be(evaluation.Metrics.RSquared);
            evaluation.MetricsArtifactId.Should().BeNull();

            logger.Warnings.Should().HaveCount(3);
            logger.Warnings.Should().OnlyContain(w => w.Contains("tracking failed", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_read_only_store_leaves_the_workflow_working()
    {
        var folder = Directory.CreateTempSubdirectory("mlnet-ro-").FullName;
        try
        {
            var path = Path.Combine(folder, "mlmd.db");
            var ml = new MLContext(seed: 1);
            var train = ml.Data.LoadFromEnumerable(Data.Regression(120, seed: 1));
            await using (var writable = await new MetadataStoreBuilder().UseSqliteFile(path).OpenAsync())
            {
                (await new MLNetTracker(writable, ml).FitAsync(RecordingTests.Pipeline(ml), train, "memory://train")).IsTracked.Should().BeTrue();
            }

            SqliteConnection.ClearAllPools();
            var readOnly = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ConnectionString;
            await using var store = await new MetadataStoreBuilder().UseSqlite(readOnly).WithSchemaMode(SchemaMode.VerifyOnly).OpenAsync();
            var logger = new ListLogger();
            var tracker = new MLNetTracker(store, ml, new MLNetTrackerOptions { Logger = logger });

            var run = await tracker.FitAsync(RecordingTests.Pipeline(ml, l2: 0.3f), train, "memory://train");

            run.IsTracked.Should().BeFalse();
            run.TrackingError.Should().BeOfType<MetadataStoreException>();
            run.Model.Transform(train).Schema.GetColumnOrNull("Score").Should().NotBeNull();
            var evaluation = await tracker.EvaluateAsync(await tracker.SaveModelAsync(run, train.Schema, Path.Combine(folder, "m.zip")), train, "memory://train", s => ml.Regression.Evaluate(s));
            evaluation.IsTracked.Should().BeFalse();
            logger.Warnings.Should().HaveCount(3);
            (await store.ListExecutionsByTypeAsync(MLNetTypeNames.Training)).Items.Should().ContainSingle("only the run recorded before the store became read-only");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static float[] Scores(ITransformer model, IDataView data) =>
        model.Transform(data).GetColumn<float>("Score").ToArray();

    private sealed class ListLogger : ILogger
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                lock (Warnings)
                {
                    Warnings.Add(formatter(state, exception));
                }
            }
        }
    }
}
