using System.Security.Cryptography;
using System.Text.Json;
using FluentAssertions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;

namespace MetadataStore.MLNet.Tests;

public sealed class TrainingTests
{
    private static SdcaRegressionTrainer.Options SdcaOptions(float l2) => new()
    {
        LabelColumnName = "Label",
        FeatureColumnName = "Features",
        L2Regularization = l2,
        L1Regularization = 0.001f,
        MaximumNumberOfIterations = 25,
        Shuffle = false,
        NumberOfThreads = 1,
    };

    [Fact]
    public async Task Fit_records_each_stage_with_the_trainer_options_it_was_given()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var data = f.MLContext.Data.LoadFromEnumerable(Data.Regression(200, seed: 3));
        var options = SdcaOptions(0.05f);
        var pipeline = f.MLContext.Transforms.Concatenate("Features", "X1", "X2")
            .Append(f.MLContext.Regression.Trainers.Sdca(options));

        var run = await f.Tracker.FitAsync(pipeline, data, "file:///data/train.csv");

        run.Model.Should().NotBeNull();
        var execution = (await f.Store.GetExecutionsByIdAsync([run.ExecutionId!.Value])).Single();
        execution.TypeName.Should().Be(MLNetTypeNames.Training);
        execution.LastKnownState.Should().Be(ExecutionState.Complete);
        execution.Properties["stage_count"].IntValue.Should().Be(2);
        execution.Properties["estimator"].StringValue.Should().StartWith(typeof(EstimatorChain<>).FullName!.Split('`')[0]);
        execution.Properties["mlnet_version"].StringValue.Should().NotBeNullOrEmpty();
        var custom = execution.CustomProperties;
        custom["stage.0.estimator"].StringValue.Should().Be(typeof(ColumnConcatenatingEstimator).FullName);
        custom["stage.1.estimator"].StringValue.Should().Be(typeof(SdcaRegressionTrainer).FullName);
        ((float)custom["stage.1.L2Regularization"].DoubleValue).Should().Be(options.L2Regularization!.Value);
        custom["stage.1.L2Regularization"].DoubleValue.Should().Be(0.05, "a float option is recorded in its shortest decimal form");
        ((float)custom["stage.1.L1Regularization"].DoubleValue).Should().Be(options.L1Regularization!.Value);
        custom["stage.1.MaximumNumberOfIterations"].IntValue.Should().Be(options.MaximumNumberOfIterations!.Value);
        custom["stage.1.Shuffle"].BooleanValue.Should().BeFalse();
        custom["stage.1.NumberOfThreads"].IntValue.Should().Be(1);
        custom["stage.1.LabelColumnName"].StringValue.Should().Be("Label");
        custom["stage.1.FeatureColumnName"].StringValue.Should().Be("Features");
        custom.Keys.Where(k => k.StartsWith("stage.0.", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Should().Equal("stage.0.estimator", "stage.0.options", "stage.0.schema_change");
        using (var concat = JsonDocument.Parse(custom["stage.0.options"].StructJson))
        {
            concat.RootElement.GetProperty("name").GetString().Should().Be("Features");
            concat.RootElement.GetProperty("source").EnumerateArray().Select(e => e.GetString()).Should().Equal("X1", "X2");
        }

        custom.Keys.Should().NotContain("stage.1.options", "a trainer's settings are its options, recorded one by one");

        var events = await f.Store.GetEventsByExecutionIdsAsync([run.ExecutionId!.Value]);
        events.Should().ContainSingle();
        events[0].Type.Should().Be(EventType.Input);
        events[0].ArtifactId.Should().Be(run.TrainingData!.ArtifactId);
        events[0].Path.Single().Key.Should().Be(MLNetTypeNames.TrainingDataRole);
    }

    [Fact]
    public async Task Options_are_recorded_as_given_not_as_the_trainer_fills_them_while_fitting()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var options = new SdcaRegressionTrainer.Options { L2Regularization = 0.2f, MaximumNumberOfIterations = 5, Shuffle = false, NumberOfThreads = 1 };
        var pipeline = f.MLContext.Transforms.Concatenate("Features", "X1", "X2").Append(f.MLContext.Regression.Trainers.Sdca(options));

        var run = await f.Tracker.FitAsync(pipeline, f.MLContext.Data.LoadFromEnumerable(Data.Regression(200, seed: 3)), "memory://r");

        // SDCA chooses an L1 regularisation from the data when none is given, and writes it into the options object.
        options.L1Regularization.Should().NotBeNull();
        var custom = (await f.Store.GetExecutionsByIdAsync([run.ExecutionId!.Value])).Single().CustomProperties;
        custom.Should().NotContainKey("stage.1.L1Regularization");
        custom["stage.1.L2Regularization"].DoubleValue.Should().Be(0.2);
    }

    [Fact]
    public async Task A_binary_trainer_records_its_lbfgs_options()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var data = f.MLContext.Data.LoadFromEnumerable(Data.Binary(200, seed: 5));
        var options = new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = 0.3f,
            L1Regularization = 0.02f,
            OptimizationTolerance = 1e-5f,
            HistorySize = 7,
            MaximumNumberOfIterations = 50,
        };
        var pipeline = f.MLContext.Transforms.Concatenate("Features", "X1", "X2")
            .Append(f.MLContext.BinaryClassification.Trainers.LbfgsLogisticRegression(options));

        var run = await f.Tracker.FitAsync(pipeline, data, "memory://binary");

        var custom = (await f.Store.GetExecutionsByIdAsync([run.ExecutionId!.Value])).Single().CustomProperties;
        custom["stage.1.estimator"].StringValue.Should().Be(typeof(LbfgsLogisticRegressionBinaryTrainer).FullName);
        ((float)custom["stage.1.L2Regularization"].DoubleValue).Should().Be(options.L2Regularization);
        ((float)custom["stage.1.L1Regularization"].DoubleValue).Should().Be(options.L1Regularization);
        ((float)custom["stage.1.OptimizationTolerance"].DoubleValue).Should().Be(options.OptimizationTolerance);
        custom["stage.1.HistorySize"].IntValue.Should().Be(options.HistorySize);
        custom["stage.1.MaximumNumberOfIterations"].IntValue.Should().Be(options.MaximumNumberOfIterations);
    }

    [Fact]
    public async Task The_training_data_is_recorded_with_schema_and_statistics_computed_from_its_rows()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var rows = Data.Regression(150, seed: 11);
        var data = f.MLContext.Data.LoadFromEnumerable(rows);
        var pipeline = f.MLContext.Transforms.Concatenate("Features", "X1", "X2")
            .Append(f.MLContext.Regression.Trainers.Sdca(SdcaOptions(0.1f)));

        var run = await f.Tracker.FitAsync(pipeline, data, "file:///data/train.csv");

        var dataset = (await f.Store.GetArtifactsByIdAsync([run.TrainingData!.ArtifactId])).Single();
        dataset.TypeName.Should().Be(MLNetTypeNames.Dataset);
        dataset.Uri.Should().Be("file:///data/train.csv");
        dataset.ExternalId.Should().Be(MLNetTypeNames.DatasetExternalIdPrefix + run.TrainingData!.ContentHash);
        dataset.Properties["row_count"].IntValue.Should().Be(150);
        run.TrainingData!.RowCount.Should().Be(150);
        dataset.Properties["content_hash"].StringValue.Should().MatchRegex("^[0-9a-f]{64}$");
        using (var schema = JsonDocument.Parse(dataset.Properties["schema"].StructJson))
        {
            schema.RootElement.GetProperty("columns").EnumerateArray()
                .Select(c => (c.GetProperty("name").GetString(), c.GetProperty("type").GetString()))
                .Should().Equal(("X1", "Single"), ("X2", "Single"), ("Extra", "Single"), ("Label", "Single"));
        }

        AssertStatistics(dataset, "X1", rows.Select(r => r.X1).ToList());
        AssertStatistics(dataset, "Extra", rows.Select(r => r.Extra).ToList());
        AssertStatistics(dataset, "Label", rows.Select(r => r.Label).ToList());
        dataset.CustomProperties["column.Extra.missing"].IntValue.Should().BeGreaterThan(0);
    }

    private static void AssertStatistics(Artifact dataset, string column, List<float> values)
    {
        var present = values.Where(v => !float.IsNaN(v)).Select(v => (double)v).ToList();
        var p = dataset.CustomProperties;
        p[$"column.{column}.count"].IntValue.Should().Be(present.Count);
        p[$"column.{column}.missing"].IntValue.Should().Be(values.Count - present.Count);
        p[$"column.{column}.min"].DoubleValue.Should().Be(present.Min());
        p[$"column.{column}.max"].DoubleValue.Should().Be(present.Max());
        p[$"column.{column}.mean"].DoubleValue.Should().BeApproximately(present.Average(), 1e-9);
    }

    [Fact]
    public async Task The_same_content_twice_is_one_data_set_and_changed_content_is_another()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var pipeline = f.MLContext.Transforms.Concatenate("Features", "X1", "X2")
            .Append(f.MLContext.Regression.Trainers.Sdca(SdcaOptions(0.1f)));
        var rows = Data.Regression(120, seed: 21);

        var first = await f.Tracker.FitAsync(pipeline, f.MLContext.Data.LoadFromEnumerable(rows), "file:///a.csv");
        var again = await f.Tracker.FitAsync(pipeline, f.MLContext.Data.LoadFromEnumerable(Data.Regression(120, seed: 21)), "file:///a-copy.csv");
        rows[60].X1 += 1;
        var changed = await f.Tracker.FitAsync(pipeline, f.MLContext.Data.LoadFromEnumerable(rows), "file:///a.csv");

        again.TrainingData!.ContentHash.Should().Be(first.TrainingData!.ContentHash);
        again.TrainingData!.ArtifactId.Should().Be(first.TrainingData!.ArtifactId);
        changed.TrainingData!.ContentHash.Should().NotBe(first.TrainingData!.ContentHash);
        changed.TrainingData!.ArtifactId.Should().NotBe(first.TrainingData!.ArtifactId);
        (await f.Store.ListArtifactsByTypeAsync(MLNetTypeNames.Dataset)).Items.Should().HaveCount(2);
        again.ExecutionId.Should().NotBe(first.ExecutionId);
    }

    [Fact]
    public async Task Saving_records_the_model_file_as_the_training_output()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var data = f.MLContext.Data.LoadFromEnumerable(Data.Regression(120, seed: 8));
        var pipeline = f.MLContext.Transforms.Concatenate("Features", "X1", "X2")
            .Append(f.MLContext.Regression.Trainers.Sdca(SdcaOptions(0.1f)));
        var run = await f.Tracker.FitAsync(pipeline, data, "file:///train.csv");

        var saved = await f.Tracker.SaveModelAsync(run, data.Schema, Path.Combine(f.Folder, "model.zip"));

        var bytes = await File.ReadAllBytesAsync(saved.Path);
        saved.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        saved.SizeBytes.Should().Be(bytes.Length);
        var model = (await f.Store.GetArtifactsByIdAsync([saved.ArtifactId!.Value])).Single();
        model.TypeName.Should().Be(MLNetTypeNames.Model);
        model.Uri.Should().Be(new Uri(saved.Path).AbsoluteUri);
        model.Properties["sha256"].StringValue.Should().Be(saved.Sha256);
        model.Properties["size_bytes"].IntValue.Should().Be(bytes.Length);
        var output = (await f.Store.GetEventsByExecutionIdsAsync([run.ExecutionId!.Value])).Single(e => e.Type == EventType.Output);
        output.ArtifactId.Should().Be(saved.ArtifactId);
        output.Path.Single().Key.Should().Be(MLNetTypeNames.ModelRole);

        // The execution's recorded hyperparameters survive the second write that adds the output.
        var execution = (await f.Store.GetExecutionsByIdAsync([run.ExecutionId!.Value])).Single();
        execution.CustomProperties["stage.1.L2Regularization"].DoubleValue.Should().Be(0.1);
        execution.LastKnownState.Should().Be(ExecutionState.Complete);
    }

    [Fact]
    public async Task A_fit_that_throws_is_recorded_as_failed_and_the_exception_reaches_the_caller()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var data = f.MLContext.Data.LoadFromEnumerable(Data.Regression(50, seed: 2));
        var pipeline = f.MLContext.Transforms.Concatenate("Features", "X1", "NoSuchColumn")
            .Append(f.MLContext.Regression.Trainers.Sdca(SdcaOptions(0.1f)));

        var act = () => f.Tracker.FitAsync(pipeline, data, "file:///train.csv");

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>();
        var executions = (await f.Store.ListExecutionsByTypeAsync(MLNetTypeNames.Training)).Items;
        executions.Should().ContainSingle().Which.LastKnownState.Should().Be(ExecutionState.Failed);
    }
}
