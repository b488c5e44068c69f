using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using FluentAssertions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MetadataStore.MLNet.Tests;

public sealed class RecordingTests
{
    private static async Task<Execution> ExecutionOf<T>(TrackerFixture f, TrainingRun<T> run)
        where T : class, ITransformer =>
        (await f.Store.GetExecutionsByIdAsync([run.ExecutionId!.Value])).Single();

    private static (List<(string Name, string Type)> Added, List<string> Removed, List<(string Name, string From, string To)> Retyped) Change(Execution execution, int stage)
    {
        using var json = JsonDocument.Parse(execution.CustomProperties[$"stage.{stage}.schema_change"].StructJson);
        var root = json.RootElement;
        return (
            root.GetProperty("added").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("type").GetString()!)).ToList(),
            root.GetProperty("removed").EnumerateArray().Select(c => c.GetString()!).ToList(),
            root.GetProperty("retyped").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("from").GetString()!, c.GetProperty("to").GetString()!)).ToList());
    }

    [Fact]
    public async Task Each_stage_records_the_columns_it_adds_removes_and_retypes()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var ml = f.MLContext;
        var data = ml.Data.LoadFromEnumerable(Data.Text(150, seed: 3));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "X1", "X2"))
            .Append(ml.Transforms.DropColumns("Extra", "City"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        var run = await f.Tracker.FitAsync(pipeline, data, "memory://text");

        var execution = await ExecutionOf(f, run);
        execution.Properties["stage_count"].IntValue.Should().Be(5);
        Change(execution, 0).Should().BeEquivalentTo((new List<(string, string)>(), new List<string>(), new List<(string, string, string)> { ("Label", "String", "Key<UInt32>") }));
        Change(execution, 1).Should().BeEquivalentTo((new List<(string, string)> { ("Features", "Vector<Single>") }, new List<string>(), new List<(string, string, string)>()));
        Change(execution, 2).Removed.Should().BeEquivalentTo("Extra", "City");
        Change(execution, 2).Added.Should().BeEmpty();
        var trainer = Change(execution, 3);
        trainer.Added.Should().BeEquivalentTo(new List<(string, string)> { ("Score", "Vector<Single>"), ("PredictedLabel", "Key<UInt32>") });
        trainer.Removed.Should().BeEmpty();
        Change(execution, 4).Retyped.Should().Equal(("PredictedLabel", "Key<UInt32>", "String"));

        // The fitted model produces what the replay predicted.
        var output = run.Model.GetOutputSchema(data.Schema);
        output["Features"].Type.Should().BeOfType<VectorDataViewType>();
        output["PredictedLabel"].Type.Should().Be(TextDataViewType.Instance);
        output.GetColumnOrNull("Extra").Should().BeNull();

        using var options = JsonDocument.Parse(execution.CustomProperties["stage.0.options"].StructJson);
        var column = options.RootElement.GetProperty("columns")[0];
        column.GetProperty("OutputColumnName").GetString().Should().Be("Label");
        column.GetProperty("InputColumnName").GetString().Should().Be("Label");
        column.GetProperty("MaximumNumberOfKeys").GetInt64().Should().Be(1_000_000);
    }

    [Fact]
    public async Task The_run_context_has_the_versions_the_machine_and_the_seed()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var run = await FitSmallAsync(f);

        var custom = (await ExecutionOf(f, run)).CustomProperties;
        custom["dotnet_version"].StringValue.Should().Be(RuntimeInformation.FrameworkDescription);
        custom["os"].StringValue.Should().Be(RuntimeInformation.OSDescription);
        custom["machine"].StringValue.Should().Be(Environment.MachineName);
        custom["processor_count"].IntValue.Should().Be(Environment.ProcessorCount);
        custom["seed"].IntValue.Should().Be(1, "the fixture's context was created with seed 1");
        (await ExecutionOf(f, run)).Properties["mlnet_version"].StringValue.Should().Be(
            typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0]);
    }

    [Fact]
    public async Task A_given_seed_wins_and_a_context_without_seed_records_none()
    {
        await using var f = await TrackerFixture.OpenAsync(new MLNetTrackerOptions { Seed = 77 });
        var run = await FitSmallAsync(f);
        (await ExecutionOf(f, run)).CustomProperties["seed"].IntValue.Should().Be(77);

        var unseeded = new MLNetTracker(f.Store, new MLContext());
        var other = await unseeded.FitAsync(Pipeline(f.MLContext), f.MLContext.Data.LoadFromEnumerable(Data.Regression(60, seed: 2)), "memory://r");
        (await ExecutionOf(f, other)).CustomProperties.Should().NotContainKey("seed");
    }

    [Fact]
    public async Task The_git_commit_and_dirty_flag_of_the_working_folder_are_recorded()
    {
        var repo = Directory.CreateTempSubdirectory("mlnet-git-").FullName;
        try
        {
            Git(repo, "init", "-q");
            await File.WriteAllTextAsync(Path.Combine(repo, "train.py"), "v1");
            Git(repo, "add", ".");
            Git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "first");
            var head = Git(repo, "rev-parse", "HEAD").Trim();

            await using var clean = await TrackerFixture.OpenAsync(new MLNetTrackerOptions { WorkingDirectory = repo });
            var custom = (await ExecutionOf(clean, await FitSmallAsync(clean))).CustomProperties;
            custom["git_commit"].StringValue.Should().Be(head);
            custom["git_dirty"].BooleanValue.Should().BeFalse();

            await File.WriteAllTextAsync(Path.Combine(repo, "train.py"), "v2");
            await using var dirty = await TrackerFixture.OpenAsync(new MLNetTrackerOptions { WorkingDirectory = repo });
            custom = (await ExecutionOf(dirty, await FitSmallAsync(dirty))).CustomProperties;
            custom["git_commit"].StringValue.Should().Be(head);
            custom["git_dirty"].BooleanValue.Should().BeTrue();

            // Outside any repository: no git properties, and the fit is recorded all the same.
            var plain = Directory.CreateTempSubdirectory("mlnet-nogit-").FullName;
            await using var none = await TrackerFixture.OpenAsync(new MLNetTrackerOptions { WorkingDirectory = plain });
            var run = await FitSmallAsync(none);
            run.IsTracked.Should().BeTrue();
            (await ExecutionOf(none, run)).CustomProperties.Keys.Should().NotContain(k => k.StartsWith("git_", StringComparison.Ordinal));
            Directory.Delete(plain, recursive: true);
        }
        finally
        {
            Directory.Delete(repo, recursive: true);
        }
    }

    private static string Git(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, process.StandardError.ReadToEnd());
        return output;
    }

    [Fact]
    public async Task Only_allowed_environment_variables_are_recorded_and_secret_looking_ones_never()
    {
        var prefix = "MLNET_T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant() + "_";
        var secrets = new Dictionary<string, string>
        {
            [prefix + "DB"] = "Server=db;Database=ml;User Id=sa;Password=hunter2;",
            [prefix + "STORAGE"] = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0a2V5dmFsdWU=;",
            [prefix + "GH"] = "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            [prefix + "OPENAI"] = "sk-proj-4fT9q2LmX8vB1nR7",
            [prefix + "AWS"] = "AKIAIOSFODNN7EXAMPLE",
            [prefix + "RANDOM"] = "q8Zr2Lw9Xv3Tn7Kp4Ys1Hd6FgJ0",
            [prefix + "URL"] = "postgres://ml:s3cretpw@db.internal:5432/mlmd",
            [prefix + "API_TOKEN"] = "plain",
        };
        var allowed = new Dictionary<string, string>
        {
            [prefix + "STAGE"] = "nightly",
            [prefix + "DATA_DIR"] = "/srv/data/2024-06-01/train",
        };
        var notListed = prefix + "HIDDEN";
        foreach (var (name, value) in secrets.Concat(allowed).Append(new(notListed, "visible")))
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            var options = new MLNetTrackerOptions { EnvironmentVariables = [.. secrets.Keys, .. allowed.Keys, prefix + "UNSET"] };
            await using var f = await TrackerFixture.OpenAsync(options);
            var run = await FitSmallAsync(f);

            var execution = await ExecutionOf(f, run);
            var custom = execution.CustomProperties;
            foreach (var (name, value) in allowed)
            {
                custom["env." + name].StringValue.Should().Be(value);
            }

            custom.Keys.Should().NotContain("env." + notListed).And.NotContain("env." + prefix + "UNSET");
            custom["env_withheld"].StringValue.Split(',').Should().BeEquivalentTo(secrets.Keys);

            // No secret reaches the store in any form: read every stored value back as text.
            var stored = string.Join("\n", execution.Properties.Values.Concat(custom.Values).Select(v => v.ToString()));
            stored.Should().NotContain("visible");
            foreach (var value in secrets.Values)
            {
                stored.Should().NotContain(value);
            }

            stored.Should().NotContain("hunter2").And.NotContain("s3cretpw");
        }
        finally
        {
            foreach (var name in secrets.Keys.Concat(allowed.Keys).Append(notListed))
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public async Task Text_columns_record_count_missing_and_distinct_values_up_to_the_cap()
    {
        var rows = Data.Text(200, seed: 5);
        var expectedDistinct = rows.Select(r => r.City).Where(c => c.Length > 0).Distinct().Count();
        expectedDistinct.Should().BeGreaterThan(3);

        await using var f = await TrackerFixture.OpenAsync();
        var run = await f.Tracker.FitAsync(TextPipeline(f.MLContext), f.MLContext.Data.LoadFromEnumerable(rows), "memory://cities");
        var dataset = (await f.Store.GetArtifactsByIdAsync([run.TrainingData!.ArtifactId])).Single().CustomProperties;
        dataset["column.City.count"].IntValue.Should().Be(rows.Count(r => r.City.Length > 0));
        dataset["column.City.missing"].IntValue.Should().Be(rows.Count(r => r.City.Length == 0));
        dataset["column.City.distinct"].IntValue.Should().Be(expectedDistinct);
        dataset.Should().NotContainKey("column.City.distinct_capped");
        dataset["column.Label.distinct"].IntValue.Should().Be(rows.Select(r => r.Label).Distinct().Count());
        dataset.Should().NotContainKey("column.City.min");

        await using var capped = await TrackerFixture.OpenAsync(new MLNetTrackerOptions { DistinctCountCap = 3 });
        var cappedRun = await capped.Tracker.FitAsync(TextPipeline(capped.MLContext), capped.MLContext.Data.LoadFromEnumerable(rows), "memory://cities");
        var cappedSet = (await capped.Store.GetArtifactsByIdAsync([cappedRun.TrainingData!.ArtifactId])).Single().CustomProperties;
        cappedSet["column.City.distinct"].IntValue.Should().Be(3);
        cappedSet["column.City.distinct_capped"].BooleanValue.Should().BeTrue();
        cappedSet["column.Label.distinct"].IntValue.Should().Be(3);
        cappedSet.Should().NotContainKey("column.Label.distinct_capped", "exactly the cap is not more than the cap");
    }

    [Fact]
    public async Task A_bad_distinct_cap_is_refused()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var act = () => new MLNetTracker(f.Store, f.MLContext, new MLNetTrackerOptions { DistinctCountCap = 0 });
        act.Should().Throw<MetadataStoreException>().Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
    }

    [Fact]
    public async Task Data_read_from_a_file_records_the_file_hash_and_new_content_from_the_same_file_is_a_linked_version()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var path = Path.Combine(f.Folder, "train.csv");
        var rows = Data.Regression(120, seed: 4);
        await WriteCsvAsync(path, rows);
        var loaded = f.MLContext.Data.LoadFromTextFile<CsvRow>(path, hasHeader: true, separatorChar: ',');

        var first = await f.Tracker.FitAsync(Pipeline(f.MLContext), loaded, path);

        var dataset = (await f.Store.GetArtifactsByIdAsync([first.TrainingData!.ArtifactId])).Single();
        dataset.CustomProperties["file_sha256"].StringValue.Should().Be(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))));
        dataset.CustomProperties["file_size_bytes"].IntValue.Should().Be(new FileInfo(path).Length);
        dataset.Properties["row_count"].IntValue.Should().Be(120);
        first.TrainingData.Version.Should().Be(1);
        first.TrainingData.PreviousVersionId.Should().BeNull();

        // The same file again: the same artifact, no new version.
        var again = await f.Tracker.FitAsync(Pipeline(f.MLContext), f.MLContext.Data.LoadFromTextFile<CsvRow>(path, hasHeader: true, separatorChar: ','), path);
        again.TrainingData!.ArtifactId.Should().Be(first.TrainingData.ArtifactId);
        again.TrainingData.Version.Should().Be(1);

        // The file changes: a new artifact, version 2, linked to version 1 by a DatasetVersion execution.
        rows.Add(new RegressionRow { X1 = 1, X2 = 2, Extra = 0, Label = 0 });
        await WriteCsvAsync(path, rows);
        var changed = await f.Tracker.FitAsync(Pipeline(f.MLContext), f.MLContext.Data.LoadFromTextFile<CsvRow>(path, hasHeader: true, separatorChar: ','), path);

        changed.TrainingData!.ArtifactId.Should().NotBe(first.TrainingData.ArtifactId);
        changed.TrainingData.Version.Should().Be(2);
        changed.TrainingData.PreviousVersionId.Should().Be(first.TrainingData.ArtifactId);
        var v2 = (await f.Store.GetArtifactsByIdAsync([changed.TrainingData.ArtifactId])).Single();
        v2.CustomProperties["version"].IntValue.Should().Be(2);
        v2.CustomProperties["previous_version_id"].IntValue.Should().Be(first.TrainingData.ArtifactId);
        v2.CustomProperties["file_sha256"].StringValue.Should().NotBe(dataset.CustomProperties["file_sha256"].StringValue);

        var link = (await f.Store.ListExecutionsByTypeAsync(MLNetTypeNames.DatasetVersion)).Items.Should().ContainSingle().Subject;
        var events = await f.Store.GetEventsByExecutionIdsAsync([link.StoredId]);
        events.Single(e => e.Type == EventType.Input).Should().Match<Event>(e => e.ArtifactId == first.TrainingData.ArtifactId && e.Path[0].Key == MLNetTypeNames.PreviousVersionRole);
        events.Single(e => e.Type == EventType.Output).Should().Match<Event>(e => e.ArtifactId == changed.TrainingData.ArtifactId && e.Path[0].Key == MLNetTypeNames.NextVersionRole);

        // Version 1 leads to version 2 in the lineage.
        var impact = await f.Store.GetImpactAsync(LineageNodeId.Artifact(first.TrainingData.ArtifactId));
        impact.Artifacts.Select(a => a.StoredId).Should().Contain(changed.TrainingData.ArtifactId);
    }

    public sealed class VectorRow
    {
        [VectorType(5)]
        public VBuffer<float> V { get; set; }

        [VectorType(3)]
        public VBuffer<ReadOnlyMemory<char>> Words { get; set; }
    }

    [Fact]
    public async Task Sparse_and_dense_vectors_of_the_same_values_are_the_same_content()
    {
        await using var f = await TrackerFixture.OpenAsync();
        var ml = f.MLContext;
        VectorRow Sparse(float value) => new()
        {
            V = new VBuffer<float>(5, 2, [value, 2f], [1, 3]),
            Words = new VBuffer<ReadOnlyMemory<char>>(3, 1, ["b".AsMemory()], [1]),
        };
        VectorRow Dense(float value) => new()
        {
            V = new VBuffer<float>(5, [0f, value, 0f, 2f, 0f]),
            Words = new VBuffer<ReadOnlyMemory<char>>(3, [ReadOnlyMemory<char>.Empty, "b".AsMemory(), ReadOnlyMemory<char>.Empty]),
        };
        var copy = ml.Transforms.CopyColumns("W", "V");

        var sparse = await f.Tracker.FitAsync(copy, ml.Data.LoadFromEnumerable(new[] { Sparse(1f), Sparse(4f) }), "memory://sparse");
        var dense = await f.Tracker.FitAsync(copy, ml.Data.LoadFromEnumerable(new[] { Dense(1f), Dense(4f) }), "memory://dense");
        var other = await f.Tracker.FitAsync(copy, ml.Data.LoadFromEnumerable(new[] { Sparse(1f), Sparse(5f) }), "memory://other");

        dense.TrainingData!.ContentHash.Should().Be(sparse.TrainingData!.ContentHash);
        dense.TrainingData.ArtifactId.Should().Be(sparse.TrainingData.ArtifactId);
        other.TrainingData!.ContentHash.Should().NotBe(sparse.TrainingData.ContentHash);
    }

    public sealed class CsvRow
    {
        [LoadColumn(0)]
        public float X1 { get; set; }

        [LoadColumn(1)]
        public float X2 { get; set; }

        [LoadColumn(2)]
        public float Extra { get; set; }

        [LoadColumn(3)]
        public float Label { get; set; }
    }

    private static Task WriteCsvAsync(string path, List<RegressionRow> rows) =>
        File.WriteAllLinesAsync(path, rows.Select(r => FormattableString.Invariant($"{r.X1},{r.X2},{(float.IsNaN(r.Extra) ? "" : r.Extra)},{r.Label}")).Prepend("X1,X2,Extra,Label"));

    internal static IEstimator<ITransformer> Pipeline(MLContext ml, float l2 = 0.1f) =>
        ml.Transforms.Concatenate("Features", "X1", "X2")
            .Append(ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { L2Regularization = l2, MaximumNumberOfIterations = 10, Shuffle = false, NumberOfThreads = 1 }));

    private static IEstimator<ITransformer> TextPipeline(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "X1", "X2"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy());

    private static Task<TrainingRun<ITransformer>> FitSmallAsync(TrackerFixture f) =>
        f.Tracker.FitAsync(Pipeline(f.MLContext), f.MLContext.Data.LoadFromEnumerable(Data.Regression(60, seed: 2)), "memory://r");
}
