using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetadataStore.MLNet;

/// <summary>
/// Records an ML.NET workflow in a metadata store as it runs: <see cref="FitAsync{TTransformer}"/> fits and records the
/// training (each stage's estimator, options and schema change, the training data's content hash, schema and
/// statistics, the run context), <see cref="SaveModelAsync{TTransformer}"/> saves the model and records it as the
/// training's output, and <see cref="EvaluateAsync{TMetrics}"/> evaluates and records every metric.
/// <see cref="GetLeaderboardAsync"/>, <see cref="CheckRegressionAsync"/> and <see cref="DiffTrainingRunsAsync"/>
/// compare what was recorded.
/// <para>
/// A failing store never fails the workflow: fit, save and evaluate return their result, log the failure and report
/// it in the result's <c>TrackingError</c>. Only a cancelled token and errors of ML.NET itself reach the caller.
/// </para>
/// </summary>
public sealed partial class MLNetTracker
{
    private readonly IMetadataStore _store;
    private readonly MLContext _mlContext;
    private readonly MLNetTrackerOptions _options;
    private readonly ILogger _logger;
    private readonly Lazy<RunContext> _context;
    private TypeIds? _types;

    /// <summary>Creates a tracker that records into <paramref name="store"/> and saves models with <paramref name="mlContext"/>.</summary>
    /// <param name="store">The store to record into.</param>
    /// <param name="mlContext">The ML.NET context the workflow uses.</param>
    /// <param name="options">Settings; the defaults when null.</param>
    /// <exception cref="MetadataStoreException">InvalidArgument when <see cref="MLNetTrackerOptions.DistinctCountCap"/> is less than 1.</exception>
    public MLNetTracker(IMetadataStore store, MLContext mlContext, MLNetTrackerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(mlContext);
        options ??= new MLNetTrackerOptions();
        if (options.DistinctCountCap < 1)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The distinct count cap must be at least 1; it is {options.DistinctCountCap}.");
        }

        ArgumentNullException.ThrowIfNull(options.EnvironmentVariables);
        _store = store;
        _mlContext = mlContext;
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        _context = new Lazy<RunContext>(() => RunContext.Read(options, _logger));
    }

    /// <summary>
    /// Fits <paramref name="estimator"/> on <paramref name="trainingData"/> and records a training execution reading the
    /// data set. When the fit throws, a failed execution is recorded and the exception is rethrown. When recording
    /// fails, the fitted model is returned with <see cref="TrainingRun{TTransformer}.TrackingError"/> set.
    /// </summary>
    /// <typeparam name="TTransformer">The transformer the estimator produces.</typeparam>
    /// <param name="estimator">The estimator or estimator chain.</param>
    /// <param name="trainingData">The training data.</param>
    /// <param name="datasetUri">Where the data came from (a file path or URI); recorded as the data set's URI, and a local file is hashed too.</param>
    /// <param name="cancellationToken">Cancels the data pass and the recording, not the fit.</param>
    /// <returns>The fitted model and what was recorded.</returns>
    public async Task<TrainingRun<TTransformer>> FitAsync<TTransformer>(IEstimator<TTransformer> estimator, IDataView trainingData, string datasetUri, CancellationToken cancellationToken = default)
        where TTransformer : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(trainingData);
        ArgumentException.ThrowIfNullOrEmpty(datasetUri);

        // The stages and their options are read before the fit starts: some trainers fill options left unset while
        // they fit (SDCA's L1 regularisation), and the record keeps what the caller gave.
        Execution? execution = null;
        Exception? trackingError = null;
        try
        {
            execution = TrainingExecution(estimator, trainingData.Schema);
        }
        catch (Exception ex)
        {
            trackingError = Failed(ex, "reading the pipeline for the record");
        }

        // The data pass that hashes the rows and computes the statistics costs about one more pass over the data; it
        // runs while the model fits, on another thread, which a multi-core machine then hides.
        var preparing = Task.Run(() => PrepareDatasetAsync(trainingData, datasetUri, cancellationToken), cancellationToken);
        TTransformer model;
        try
        {
            model = estimator.Fit(trainingData);
        }
        catch (Exception)
        {
            try
            {
                var failedData = await preparing.ConfigureAwait(false);
                if (execution is not null)
                {
                    await PutWithDatasetAsync(execution with { LastKnownState = ExecutionState.Failed }, failedData, MLNetTypeNames.TrainingDataRole, [], CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                Failed(ex, "recording the failed fit");
            }

            throw;
        }

        DatasetRecord? dataset = null;
        try
        {
            dataset = await preparing.ConfigureAwait(false);
        }
        catch (Exception ex) when (!IsCancellation(ex, cancellationToken))
        {
            trackingError ??= Failed(ex, "reading the training data for the record");
        }

        if (trackingError is not null)
        {
            return new TrainingRun<TTransformer>(model, null, null, trackingError);
        }

        try
        {
            execution = execution! with { LastKnownState = ExecutionState.Complete };
            var (result, tracked) = await PutWithDatasetAsync(execution, dataset!, MLNetTypeNames.TrainingDataRole, [], cancellationToken).ConfigureAwait(false);
            return new TrainingRun<TTransformer>(model, execution with { Id = result.ExecutionId }, tracked, null);
        }
        catch (Exception ex) when (!IsCancellation(ex, cancellationToken))
        {
            return new TrainingRun<TTransformer>(model, null, null, Failed(ex, "recording the training"));
        }
    }

    /// <summary>
    /// Saves the model of <paramref name="run"/> to <paramref name="path"/> with ML.NET and records the file (URI, SHA-256,
    /// size) as the training execution's output. When recording fails (or the training was not recorded), the model is
    /// still saved and <see cref="SavedModel.TrackingError"/> says why it was not recorded.
    /// </summary>
    /// <typeparam name="TTransformer">The transformer type of the run.</typeparam>
    /// <param name="run">The training run whose model to save.</param>
    /// <param name="inputSchema">The schema of the data the model reads, as ML.NET's save requires.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="cancellationToken">Cancels the hashing and the recording.</param>
    /// <returns>The saved model and what was recorded.</returns>
    public async Task<SavedModel> SaveModelAsync<TTransformer>(TrainingRun<TTransformer> run, DataViewSchema inputSchema, string path, CancellationToken cancellationToken = default)
        where TTransformer : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        _mlContext.Model.Save(run.Model, inputSchema, fullPath);
        var (sha256, size) = await HashFileAsync(fullPath, cancellationToken).ConfigureAwait(false);

        if (run.Execution is not { } execution)
        {
            var error = new InvalidOperationException("The model was saved but not recorded: its training was not recorded.", run.TrackingError);
            return new SavedModel(run.Model, null, fullPath, sha256, size, null, Failed(error, "recording the model"));
        }

        try
        {
            var types = await TypesAsync(cancellationToken).ConfigureAwait(false);
            var model = Artifact.Of(types.Model, new Uri(fullPath).AbsoluteUri)
                .With("sha256", sha256)
                .With("size_bytes", size)
                .With("model_type", EstimatorInspector.TypeName(run.Model.GetType())) with { State = ArtifactState.Live };
            var result = await _store.PutExecutionAsync(
                execution,
                [new ArtifactAndEvent(model, Event.Of(EventType.Output).WithPath(MLNetTypeNames.ModelRole))],
                [],
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return new SavedModel(run.Model, result.ArtifactIds[0]!.Value, fullPath, sha256, size, execution.Id, null);
        }
        catch (Exception ex) when (!IsCancellation(ex, cancellationToken))
        {
            return new SavedModel(run.Model, null, fullPath, sha256, size, execution.Id, Failed(ex, "recording the model"));
        }
    }

    /// <summary>
    /// Scores <paramref name="evaluationData"/> with the saved model, runs <paramref name="evaluate"/> on the scored data
    /// (for example <c>data => mlContext.Regression.Evaluate(data)</c>) and records an evaluation execution that reads the
    /// model and the data set and writes a metrics artifact: every scalar of the metrics object (numbers, and each
    /// element of a list of numbers as <c>Name@k</c> or <c>Name[i]</c>) and the confusion matrix where there is one.
    /// When recording fails, the metrics are returned with <see cref="EvaluationRun{TMetrics}.TrackingError"/> set.
    /// </summary>
    /// <typeparam name="TMetrics">The metrics type, such as <c>RegressionMetrics</c> or <c>CalibratedBinaryClassificationMetrics</c>.</typeparam>
    /// <param name="model">The saved model to evaluate.</param>
    /// <param name="evaluationData">The evaluation data, unscored.</param>
    /// <param name="datasetUri">Where the evaluation data came from.</param>
    /// <param name="evaluate">The ML.NET evaluation to run on the scored data.</param>
    /// <param name="cancellationToken">Cancels the data pass and the recording.</param>
    /// <returns>The metrics and what was recorded.</returns>
    public async Task<EvaluationRun<TMetrics>> EvaluateAsync<TMetrics>(SavedModel model, IDataView evaluationData, string datasetUri, Func<IDataView, TMetrics> evaluate, CancellationToken cancellationToken = default)
        where TMetrics : class
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(evaluationData);
        ArgumentException.ThrowIfNullOrEmpty(datasetUri);
        ArgumentNullException.ThrowIfNull(evaluate);

        // As in FitAsync: the data pass for the record runs while the model scores and the evaluation runs.
        var preparing = Task.Run(() => PrepareDatasetAsync(evaluationData, datasetUri, cancellationToken), cancellationToken);
        TMetrics metrics;
        try
        {
            metrics = evaluate(model.Model.Transform(evaluationData));
        }
        catch (Exception)
        {
            // Nothing is recorded for an evaluation that throws; wait for the data pass so that it does not outlive the call.
            try
            {
                await preparing.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogDebug(ex, "The evaluation data pass failed too");
            }

            throw;
        }

        var reading = MetricsReader.Read(metrics);
        DatasetRecord? dataset = null;
        Exception? trackingError = null;
        try
        {
            dataset = await preparing.ConfigureAwait(false);
        }
        catch (Exception ex) when (!IsCancellation(ex, cancellationToken))
        {
            trackingError = Failed(ex, "reading the evaluation data for the record");
        }
        if (trackingError is not null)
        {
            return new EvaluationRun<TMetrics>(metrics, reading.Values, null, null, null, trackingError);
        }

        try
        {
            var types = await TypesAsync(cancellationToken).ConfigureAwait(false);
            var metricsArtifact = MetricsArtifact(types, metrics, reading);
            var others = new List<ArtifactAndEvent> { new(metricsArtifact, Event.Of(EventType.Output).WithPath(MLNetTypeNames.MetricsRole)) };

            // A model whose recording failed is still evaluated and recorded without it; the evaluation then has no model input.
            if (model.ArtifactId is { } modelId)
            {
                others.Add(new ArtifactAndEvent(null, Event.Of(EventType.Input, artifactId: modelId).WithPath(MLNetTypeNames.ModelRole)));
            }

            var (result, tracked) = await PutWithDatasetAsync(Execution.Of(types.Evaluation, ExecutionState.Complete), dataset!, MLNetTypeNames.EvaluationDataRole, others, cancellationToken).ConfigureAwait(false);
            return new EvaluationRun<TMetrics>(metrics, reading.Values, result.ExecutionId, result.ArtifactIds[1]!.Value, tracked, null);
        }
        catch (Exception ex) when (!IsCancellation(ex, cancellationToken))
        {
            return new EvaluationRun<TMetrics>(metrics, reading.Values, null, null, null, Failed(ex, "recording the evaluation"));
        }
    }

    private static bool IsCancellation(Exception ex, CancellationToken cancellationToken) =>
        ex is OperationCanceledException && cancellationToken.IsCancellationRequested;

    private Exception Failed(Exception ex, string what)
    {
        _logger.LogWarning(ex, "ML.NET tracking failed while {What}; the workflow goes on unrecorded", what);
        return ex;
    }

    // By type name: the type is stored (and its id known) by the data pass that runs during the fit.
    private Execution TrainingExecution(object estimator, DataViewSchema inputSchema)
    {
        var stages = EstimatorInspector.Stages(estimator);
        var execution = Execution.Of(MLNetTypeNames.Training, ExecutionState.Running)
            .With("estimator", EstimatorInspector.TypeName(estimator.GetType()))
            .With("stage_count", stages.Count)
            .With("mlnet_version", RunContext.MLNetVersion());
        foreach (var (name, value) in _context.Value.Values)
        {
            if (name != "mlnet_version")
            {
                execution = execution.WithCustom(name, value);
            }
        }

        if ((_options.Seed ?? EstimatorInspector.Seed(_mlContext)) is { } seed)
        {
            execution = execution.WithCustom("seed", seed);
        }

        IReadOnlyList<SchemaChange>? changes = null;
        try
        {
            changes = SchemaReplay.Replay(stages, inputSchema);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or InvalidCastException)
        {
            // The fit will fail on the same schema and report it; the record just has no schema changes.
            _logger.LogDebug(ex, "The pipeline's schema could not be replayed");
        }

        for (var i = 0; i < stages.Count; i++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"stage.{i}.");
            execution = execution.WithCustom(prefix + "estimator", stages[i].EstimatorType);
            foreach (var (name, value) in stages[i].Hyperparameters)
            {
                execution = execution.WithCustom(prefix + name, value);
            }

            if (stages[i].TransformOptionsJson is { } options)
            {
                execution = execution.WithCustom(prefix + "options", PropertyValue.FromStructJson(options));
            }

            if (changes is not null)
            {
                execution = execution.WithCustom(prefix + "schema_change", PropertyValue.FromStructJson(changes[i].ToJson()));
            }
        }

        return execution;
    }

    /// <summary>A data set ready to record, and the version of the same URI it replaces when its content is new.</summary>
    private sealed record DatasetRecord(Artifact Artifact, Artifact? Existing, Artifact? Previous, DataViewProfile Profile);

    private async Task<DatasetRecord> PrepareDatasetAsync(IDataView data, string uri, CancellationToken cancellationToken)
    {
        var profile = DataViewProfiler.Profile(data, _options.DistinctCountCap, cancellationToken);
        var types = await TypesAsync(cancellationToken).ConfigureAwait(false);
        var artifact = DatasetArtifact(types, uri, profile);
        artifact = await WithFileHashAsync(artifact, uri, cancellationToken).ConfigureAwait(false);

        var existing = await _store.GetArtifactsByExternalIdAsync([artifact.ExternalId!], cancellationToken).ConfigureAwait(false);
        if (existing.Count > 0)
        {
            return new DatasetRecord(artifact, existing[0], null, profile);
        }

        // New content: the latest data set recorded from the same URI is the version it replaces.
        var previous = (await _store.GetArtifactsByUriAsync([uri], cancellationToken).ConfigureAwait(false))
            .Where(a => a.TypeName == MLNetTypeNames.Dataset)
            .OrderByDescending(a => a.StoredId)
            .FirstOrDefault();
        if (previous is null)
        {
            return new DatasetRecord(artifact.WithCustom("version", 1), null, null, profile);
        }

        artifact = artifact.WithCustom("version", Version(previous) + 1).WithCustom("previous_version_id", previous.StoredId);
        return new DatasetRecord(artifact, null, previous, profile);
    }

    private static long Version(Artifact dataset) =>
        dataset.CustomProperties.TryGetValue("version", out var version) && version.Kind == PropertyKind.Int ? version.IntValue : 1;

    // Puts the execution with the data set (reused by external id) and the other events; links a new version to the one it replaces.
    private async Task<(PutExecutionResult Result, TrackedDataset Dataset)> PutWithDatasetAsync(
        Execution execution, DatasetRecord dataset, string role, IReadOnlyList<ArtifactAndEvent> others, CancellationToken cancellationToken)
    {
        var result = await _store.PutExecutionAsync(
            execution,
            [new ArtifactAndEvent(dataset.Artifact, Event.Of(EventType.Input).WithPath(role)), .. others],
            [],
            new PutExecutionOptions { ReuseArtifactIfAlreadyExistsByExternalId = true },
            cancellationToken).ConfigureAwait(false);
        var datasetId = result.ArtifactIds[0]!.Value;
        if (dataset.Previous is { } previous && dataset.Existing is null)
        {
            var types = await TypesAsync(cancellationToken).ConfigureAwait(false);
            await _store.PutExecutionAsync(
                Execution.Of(types.DatasetVersion, ExecutionState.Complete),
                [
                    new ArtifactAndEvent(null, Event.Of(EventType.Input, artifactId: previous.StoredId).WithPath(MLNetTypeNames.PreviousVersionRole)),
                    new ArtifactAndEvent(null, Event.Of(EventType.Output, artifactId: datasetId).WithPath(MLNetTypeNames.NextVersionRole)),
                ],
                [],
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var stored = dataset.Existing ?? dataset.Artifact;
        var tracked = new TrackedDataset(
            datasetId,
            stored.Uri ?? string.Empty,
            dataset.Profile.ContentHash,
            dataset.Profile.RowCount,
            Version(stored),
            dataset.Existing is null ? dataset.Previous?.StoredId : PreviousVersionOf(dataset.Existing));
        return (result, tracked);
    }

    private static long? PreviousVersionOf(Artifact dataset) =>
        dataset.CustomProperties.TryGetValue("previous_version_id", out var id) && id.Kind == PropertyKind.Int ? id.IntValue : null;

    private static Artifact DatasetArtifact(TypeIds types, string uri, DataViewProfile profile)
    {
        var schema = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["columns"] = profile.Columns.Select(c => new Dictionary<string, string> { ["name"] = c.Name, ["type"] = c.Type }).ToList(),
        });
        var artifact = Artifact.Of(types.Dataset, uri)
            .With("content_hash", profile.ContentHash)
            .With("row_count", profile.RowCount)
            .With("schema", PropertyValue.FromStructJson(schema)) with
        {
            ExternalId = MLNetTypeNames.DatasetExternalIdPrefix + profile.ContentHash,
            State = ArtifactState.Live,
        };
        var unhashed = profile.Columns.Where(c => !c.Hashed).Select(c => c.Name).ToList();
        if (unhashed.Count > 0)
        {
            artifact = artifact.WithCustom("unhashed_columns", string.Join(",", unhashed));
        }

        foreach (var column in profile.Columns)
        {
            if (column.Statistics is not { } stats)
            {
                continue;
            }

            var prefix = "column." + column.Name + ".";
            artifact = artifact.WithCustom(prefix + "count", stats.Count).WithCustom(prefix + "missing", stats.Missing);
            if (stats.Min is { } min && stats.Max is { } max && stats.Mean is { } mean)
            {
                artifact = artifact.WithCustom(prefix + "min", min).WithCustom(prefix + "max", max).WithCustom(prefix + "mean", mean);
            }

            if (stats.Distinct is { } distinct)
            {
                artifact = artifact.WithCustom(prefix + "distinct", distinct);
                if (stats.DistinctCapped)
                {
                    artifact = artifact.WithCustom(prefix + "distinct_capped", true);
                }
            }
        }

        return artifact;
    }

    // Data read from a local file: the file's own hash and size, so the data can be matched with the file later.
    private static async Task<Artifact> WithFileHashAsync(Artifact artifact, string uri, CancellationToken cancellationToken)
    {
        string? path = null;
        if (Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile)
        {
            path = parsed.LocalPath;
        }
        else if (!uri.Contains("://", StringComparison.Ordinal))
        {
            path = uri;
        }

        if (path is null || !File.Exists(path))
        {
            return artifact;
        }

        var (sha256, size) = await HashFileAsync(path, cancellationToken).ConfigureAwait(false);
        return artifact.WithCustom("file_sha256", sha256).WithCustom("file_size_bytes", size);
    }

    private static async Task<(string Sha256, long Size)> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return (Convert.ToHexStringLower(hash), stream.Length);
        }
    }

    private static Artifact MetricsArtifact(TypeIds types, object metrics, MetricsReading reading)
    {
        var artifact = Artifact.Of(types.Metrics).With("metrics_type", EstimatorInspector.TypeName(metrics.GetType())) with { State = ArtifactState.Live };
        var nan = new List<string>();
        foreach (var (name, value) in reading.Values)
        {
            if (double.IsNaN(value))
            {
                nan.Add(name);
                continue;
            }

            artifact = artifact.WithCustom(name, value);
        }

        // The store keeps no NaN; the names say which metrics were undefined (a class never predicted, say).
        if (nan.Count > 0)
        {
            artifact = artifact.WithCustom("nan_metrics", string.Join(",", nan));
        }

        if (reading.ConfusionMatrixJson is { } matrix)
        {
            artifact = artifact.WithCustom("confusion_matrix", PropertyValue.FromStructJson(matrix));
        }

        return artifact;
    }

    private async Task<TypeIds> TypesAsync(CancellationToken cancellationToken)
    {
        if (_types is { } known)
        {
            return known;
        }

        // Putting the same types again is a no-op, so concurrent first calls need no lock.
        var result = await _store.PutTypesAsync(
            [
                ArtifactType.Named(MLNetTypeNames.Dataset)
                    .WithProperty("content_hash", PropertyKind.String)
                    .WithProperty("row_count", PropertyKind.Int)
                    .WithProperty("schema", PropertyKind.Struct) with { BaseType = ArtifactBaseType.Dataset },
                ArtifactType.Named(MLNetTypeNames.Model)
                    .WithProperty("sha256", PropertyKind.String)
                    .WithProperty("size_bytes", PropertyKind.Int)
                    .WithProperty("model_type", PropertyKind.String) with { BaseType = ArtifactBaseType.Model },
                ArtifactType.Named(MLNetTypeNames.Metrics)
                    .WithProperty("metrics_type", PropertyKind.String) with { BaseType = ArtifactBaseType.Metrics },
            ],
            [
                ExecutionType.Named(MLNetTypeNames.Training)
                    .WithProperty("estimator", PropertyKind.String)
                    .WithProperty("stage_count", PropertyKind.Int)
                    .WithProperty("mlnet_version", PropertyKind.String) with { BaseType = ExecutionBaseType.Train },
                ExecutionType.Named(MLNetTypeNames.Evaluation) with { BaseType = ExecutionBaseType.Evaluate },
                ExecutionType.Named(MLNetTypeNames.DatasetVersion) with { BaseType = ExecutionBaseType.Process },
            ],
            [],
            cancellationToken: cancellationToken).ConfigureAwait(false);
        _types = new TypeIds(result.ArtifactTypeIds[0], result.ArtifactTypeIds[1], result.ArtifactTypeIds[2], result.ExecutionTypeIds[0], result.ExecutionTypeIds[1], result.ExecutionTypeIds[2]);
        return _types;
    }

    private sealed record TypeIds(long Dataset, long Model, long Metrics, long Training, long Evaluation, long DatasetVersion);
}
