using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;

namespace MetadataStore.MLNet;

/// <summary>
/// Records an ML.NET workflow in a metadata store as it runs: <see cref="FitAsync{TTransformer}"/> fits and records the
/// training (each stage's estimator and trainer options, the training data's content hash, schema and statistics),
/// <see cref="SaveModelAsync{TTransformer}"/> saves the model and records it as the training's output, and
/// <see cref="EvaluateAsync{TMetrics}"/> evaluates and records every scalar metric. <see cref="GetLeaderboardAsync"/>
/// ranks the models evaluated on the same data.
/// </summary>
public sealed class MLNetTracker
{
    private readonly IMetadataStore _store;
    private readonly MLContext _mlContext;
    private TypeIds? _types;

    /// <summary>Creates a tracker that records into <paramref name="store"/> and saves models with <paramref name="mlContext"/>.</summary>
    /// <param name="store">The store to record into.</param>
    /// <param name="mlContext">The ML.NET context the workflow uses.</param>
    public MLNetTracker(IMetadataStore store, MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(mlContext);
        _store = store;
        _mlContext = mlContext;
    }

    /// <summary>
    /// Fits <paramref name="estimator"/> on <paramref name="trainingData"/> and records a training execution reading the
    /// data set. When the fit throws, a failed execution is recorded and the exception is rethrown.
    /// </summary>
    /// <typeparam name="TTransformer">The transformer the estimator produces.</typeparam>
    /// <param name="estimator">The estimator or estimator chain.</param>
    /// <param name="trainingData">The training data.</param>
    /// <param name="datasetUri">Where the data came from (a file path or URI); recorded as the data set's URI.</param>
    /// <param name="cancellationToken">Cancels the data pass and the recording, not the fit.</param>
    /// <returns>The fitted model and the ids recorded.</returns>
    public async Task<TrainingRun<TTransformer>> FitAsync<TTransformer>(IEstimator<TTransformer> estimator, IDataView trainingData, string datasetUri, CancellationToken cancellationToken = default)
        where TTransformer : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(trainingData);
        ArgumentException.ThrowIfNullOrEmpty(datasetUri);
        var types = await TypesAsync(cancellationToken).ConfigureAwait(false);
        var stages = EstimatorInspector.Stages(estimator);
        var profile = DataViewProfiler.Profile(trainingData, cancellationToken);
        var dataset = DatasetArtifact(types, datasetUri, profile);

        var execution = Execution.Of(types.Training, ExecutionState.Running)
            .With("estimator", EstimatorInspector.TypeName(estimator.GetType()))
            .With("stage_count", stages.Count)
            .With("mlnet_version", MLNetVersion());
        for (var i = 0; i < stages.Count; i++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"stage.{i}.");
            execution = execution.WithCustom(prefix + "estimator", stages[i].EstimatorType);
            foreach (var (name, value) in stages[i].Hyperparameters)
            {
                execution = execution.WithCustom(prefix + name, value);
            }
        }

        TTransformer model;
        try
        {
            model = estimator.Fit(trainingData);
        }
        catch (Exception)
        {
            await PutAsync(execution with { LastKnownState = ExecutionState.Failed }, dataset, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        execution = execution with { LastKnownState = ExecutionState.Complete };
        var result = await PutAsync(execution, dataset, cancellationToken).ConfigureAwait(false);
        var tracked = new TrackedDataset(result.ArtifactIds[0]!.Value, datasetUri, profile.ContentHash, profile.RowCount);
        return new TrainingRun<TTransformer>(model, execution with { Id = result.ExecutionId }, tracked);
    }

    /// <summary>
    /// Saves the model of <paramref name="run"/> to <paramref name="path"/> with ML.NET and records the file (URI, SHA-256,
    /// size) as the training execution's output.
    /// </summary>
    /// <typeparam name="TTransformer">The transformer type of the run.</typeparam>
    /// <param name="run">The training run whose model to save.</param>
    /// <param name="inputSchema">The schema of the data the model reads, as ML.NET's save requires.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="cancellationToken">Cancels the hashing and the recording.</param>
    /// <returns>The saved model with its artifact id.</returns>
    public async Task<SavedModel> SaveModelAsync<TTransformer>(TrainingRun<TTransformer> run, DataViewSchema inputSchema, string path, CancellationToken cancellationToken = default)
        where TTransformer : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var types = await TypesAsync(cancellationToken).ConfigureAwait(false);
        var fullPath = Path.GetFullPath(path);
        _mlContext.Model.Save(run.Model, inputSchema, fullPath);

        string sha256;
        long size;
        var stream = File.OpenRead(fullPath);
        await using (stream.ConfigureAwait(false))
        {
            size = stream.Length;
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }

        var model = Artifact.Of(types.Model, new Uri(fullPath).AbsoluteUri)
            .With("sha256", sha256)
            .With("size_bytes", size)
            .With("model_type", EstimatorInspector.TypeName(run.Model.GetType())) with { State = ArtifactState.Live };
        var result = await _store.PutExecutionAsync(
            run.Execution,
            [new ArtifactAndEvent(model, Event.Of(EventType.Output).WithPath(MLNetTypeNames.ModelRole))],
            [],
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return new SavedModel(run.Model, result.ArtifactIds[0]!.Value, fullPath, sha256, size, run.ExecutionId);
    }

    /// <summary>
    /// Scores <paramref name="evaluationData"/> with the saved model, runs <paramref name="evaluate"/> on the scored data
    /// (for example <c>data => mlContext.Regression.Evaluate(data)</c>) and records an evaluation execution that reads the
    /// model and the data set and writes a metrics artifact holding every public <see cref="double"/> property of the
    /// metrics object.
    /// </summary>
    /// <typeparam name="TMetrics">The metrics type, such as <c>RegressionMetrics</c> or <c>CalibratedBinaryClassificationMetrics</c>.</typeparam>
    /// <param name="model">The saved model to evaluate.</param>
    /// <param name="evaluationData">The evaluation data, unscored.</param>
    /// <param name="datasetUri">Where the evaluation data came from.</param>
    /// <param name="evaluate">The ML.NET evaluation to run on the scored data.</param>
    /// <param name="cancellationToken">Cancels the data pass and the recording.</param>
    /// <returns>The metrics and the ids recorded.</returns>
    public async Task<EvaluationRun<TMetrics>> EvaluateAsync<TMetrics>(SavedModel model, IDataView evaluationData, string datasetUri, Func<IDataView, TMetrics> evaluate, CancellationToken cancellationToken = default)
        where TMetrics : class
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(evaluationData);
        ArgumentException.ThrowIfNullOrEmpty(datasetUri);
        ArgumentNullException.ThrowIfNull(evaluate);
        var types = await TypesAsync(cancellationToken).ConfigureAwait(false);
        var profile = DataViewProfiler.Profile(evaluationData, cancellationToken);
        var dataset = DatasetArtifact(types, datasetUri, profile);
        var metrics = evaluate(model.Model.Transform(evaluationData));
        var values = ScalarMetrics(metrics);

        var metricsArtifact = Artifact.Of(types.Metrics).With("metrics_type", EstimatorInspector.TypeName(metrics.GetType())) with { State = ArtifactState.Live };
        foreach (var (name, value) in values)
        {
            metricsArtifact = metricsArtifact.WithCustom(name, value);
        }

        var execution = Execution.Of(types.Evaluation, ExecutionState.Complete);
        var result = await _store.PutExecutionAsync(
            execution,
            [
                new ArtifactAndEvent(null, Event.Of(EventType.Input, artifactId: model.ArtifactId).WithPath(MLNetTypeNames.ModelRole)),
                new ArtifactAndEvent(dataset, Event.Of(EventType.Input).WithPath(MLNetTypeNames.EvaluationDataRole)),
                new ArtifactAndEvent(metricsArtifact, Event.Of(EventType.Output).WithPath(MLNetTypeNames.MetricsRole)),
            ],
            [],
            new PutExecutionOptions { ReuseArtifactIfAlreadyExistsByExternalId = true },
            cancellationToken).ConfigureAwait(false);
        var tracked = new TrackedDataset(result.ArtifactIds[1]!.Value, datasetUri, profile.ContentHash, profile.RowCount);
        return new EvaluationRun<TMetrics>(metrics, result.ExecutionId, result.ArtifactIds[2]!.Value, tracked, values);
    }

    /// <summary>
    /// The models evaluated on the data set with content hash <paramref name="datasetContentHash"/>, best first by
    /// <paramref name="metric"/>. Found through lineage: the evaluations downstream of the data set that read it as
    /// evaluation data, the metrics they wrote and the models they read. Evaluations whose metrics lack the metric are left
    /// out; equal values keep the order in which the evaluations were recorded.
    /// </summary>
    /// <param name="datasetContentHash">The data set's <see cref="TrackedDataset.ContentHash"/>.</param>
    /// <param name="metric">The metric's property name, such as <c>RSquared</c> or <c>AreaUnderRocCurve</c>.</param>
    /// <param name="goal">Whether higher or lower values rank first.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The entries, ranked from 1; empty when no such data set was recorded.</returns>
    public async Task<IReadOnlyList<LeaderboardEntry>> GetLeaderboardAsync(string datasetContentHash, string metric, MetricGoal goal, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(datasetContentHash);
        ArgumentException.ThrowIfNullOrEmpty(metric);
        var datasets = await _store.GetArtifactsByExternalIdAsync([MLNetTypeNames.DatasetExternalIdPrefix + datasetContentHash], cancellationToken).ConfigureAwait(false);
        if (datasets.Count == 0)
        {
            return [];
        }

        var datasetId = datasets[0].StoredId;
        var impact = await _store.GetImpactAsync(LineageNodeId.Artifact(datasetId), new LineageOptions { MaxHops = 2 }, cancellationToken).ConfigureAwait(false);
        var evaluations = impact.Events
            .Where(e => e.ArtifactId == datasetId && e.Type == EventType.Input && HasRole(e, MLNetTypeNames.EvaluationDataRole))
            .Select(e => impact.GetExecution(e.ExecutionId!.Value))
            .Where(e => e is not null && e.TypeName == MLNetTypeNames.Evaluation)
            .Select(e => e!.StoredId)
            .Distinct()
            .ToList();
        if (evaluations.Count == 0)
        {
            return [];
        }

        var events = await _store.GetEventsByExecutionIdsAsync(evaluations, cancellationToken).ConfigureAwait(false);
        var modelIds = events.Where(e => e.Type == EventType.Input && HasRole(e, MLNetTypeNames.ModelRole)).ToDictionary(e => e.ExecutionId!.Value, e => e.ArtifactId!.Value);
        var models = (await _store.GetArtifactsByIdAsync(modelIds.Values.Distinct().ToList(), cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.StoredId);

        var scored = new List<(long Execution, Artifact Model, Artifact Metrics, double Value)>();
        foreach (var evaluation in evaluations)
        {
            var metricsEvent = impact.Events.FirstOrDefault(e => e.ExecutionId == evaluation && e.Type == EventType.Output && HasRole(e, MLNetTypeNames.MetricsRole));
            var metrics = metricsEvent is null ? null : impact.GetArtifact(metricsEvent.ArtifactId!.Value);
            if (metrics is null || !metrics.CustomProperties.TryGetValue(metric, out var value) || value.Kind != PropertyKind.Double
                || !modelIds.TryGetValue(evaluation, out var modelId) || !models.TryGetValue(modelId, out var model))
            {
                continue;
            }

            scored.Add((evaluation, model, metrics, value.DoubleValue));
        }

        var ordered = goal == MetricGoal.Maximize
            ? scored.OrderByDescending(s => s.Value).ThenBy(s => s.Execution)
            : scored.OrderBy(s => s.Value).ThenBy(s => s.Execution);
        return ordered.Select((s, i) => new LeaderboardEntry(i + 1, s.Model, s.Metrics, s.Execution, s.Value)).ToList();
    }

    private static bool HasRole(Event e, string role) => e.Path.Count > 0 && e.Path[0].Key == role;

    /// <summary>Every public readable <see cref="double"/> property of the metrics object, by name.</summary>
    internal static IReadOnlyDictionary<string, double> ScalarMetrics(object metrics)
    {
        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in metrics.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (property.PropertyType == typeof(double) && property.CanRead && property.GetIndexParameters().Length == 0)
            {
                values[property.Name] = (double)property.GetValue(metrics)!;
            }
        }

        return values;
    }

    private Task<PutExecutionResult> PutAsync(Execution execution, Artifact dataset, CancellationToken cancellationToken) =>
        _store.PutExecutionAsync(
            execution,
            [new ArtifactAndEvent(dataset, Event.Of(EventType.Input).WithPath(MLNetTypeNames.TrainingDataRole))],
            [],
            new PutExecutionOptions { ReuseArtifactIfAlreadyExistsByExternalId = true },
            cancellationToken);

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
        }

        return artifact;
    }

    private static string MLNetVersion() =>
        typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(MLContext).Assembly.GetName().Version?.ToString()
        ?? "unknown";

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
            ],
            [],
            cancellationToken: cancellationToken).ConfigureAwait(false);
        _types = new TypeIds(result.ArtifactTypeIds[0], result.ArtifactTypeIds[1], result.ArtifactTypeIds[2], result.ExecutionTypeIds[0], result.ExecutionTypeIds[1]);
        return _types;
    }

    private sealed record TypeIds(long Dataset, long Model, long Metrics, long Training, long Evaluation);
}
