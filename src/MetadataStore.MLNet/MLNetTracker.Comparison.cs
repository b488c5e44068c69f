namespace MetadataStore.MLNet;

/// <summary>The comparisons: leaderboard, regression check and the difference of two trainings.</summary>
public sealed partial class MLNetTracker
{
    // The names RunContext records, which the difference of two trainings reports as context.
    private static readonly HashSet<string> ContextNames = new(StringComparer.Ordinal)
    {
        "mlnet_version", "dotnet_version", "os", "os_architecture", "process_architecture", "machine", "processor_count", "git_commit", "git_dirty", "env_withheld",
    };

    /// <summary>
    /// The models evaluated on the data set with content hash <paramref name="datasetContentHash"/>, best first by
    /// <paramref name="metric"/>. Found through lineage: the evaluations downstream of the data set that read it as
    /// evaluation data, the metrics they wrote and the models they read. Evaluations whose metrics lack the metric are left
    /// out; equal values keep the order in which the evaluations were recorded.
    /// </summary>
    /// <param name="datasetContentHash">The data set's <see cref="TrackedDataset.ContentHash"/>.</param>
    /// <param name="metric">The metric's recorded name, such as <c>RSquared</c> or <c>AreaUnderRocCurve</c>.</param>
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

    /// <summary>
    /// Checks the model <paramref name="candidateModelId"/> against the best model evaluated earlier on the same data:
    /// the baseline is the best other model by <paramref name="primaryMetric"/> among the evaluations on the data set
    /// with content hash <paramref name="evaluationDataContentHash"/> recorded before the candidate's latest one. Every
    /// metric either side recorded is then compared in its better direction (<see cref="MetricGoals"/>, or
    /// <see cref="RegressionCheckOptions.Goals"/>).
    /// </summary>
    /// <param name="candidateModelId">The candidate's model artifact id (<see cref="SavedModel.ArtifactId"/>).</param>
    /// <param name="evaluationDataContentHash">The evaluation data's <see cref="TrackedDataset.ContentHash"/>.</param>
    /// <param name="primaryMetric">The metric that chooses the baseline, such as <c>RSquared</c>.</param>
    /// <param name="options">Tolerance, goals and the metrics to compare; the defaults when null.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The verdict with each metric's comparison.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when the primary metric has no known goal or the tolerance is negative or NaN;
    /// NotFound when the candidate has no evaluation on that data recording the primary metric.</exception>
    public async Task<RegressionCheckResult> CheckRegressionAsync(long candidateModelId, string evaluationDataContentHash, string primaryMetric, RegressionCheckOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(evaluationDataContentHash);
        ArgumentException.ThrowIfNullOrEmpty(primaryMetric);
        options ??= new RegressionCheckOptions();
        if (!(options.Tolerance >= 0))
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The regression tolerance must be zero or more; it is {options.Tolerance}.");
        }

        if (GoalOf(primaryMetric, options) is not { } goal)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The metric '{primaryMetric}' has no known goal; give one in RegressionCheckOptions.Goals.");
        }

        var board = await GetLeaderboardAsync(evaluationDataContentHash, primaryMetric, goal, cancellationToken).ConfigureAwait(false);
        var candidate = board.Where(e => e.Model.StoredId == candidateModelId).MaxBy(e => e.EvaluationExecutionId)
            ?? throw new MetadataStoreException(MetadataErrorCode.NotFound, $"Model {candidateModelId} has no evaluation recording '{primaryMetric}' on the data with content hash {evaluationDataContentHash}.");
        var baseline = board.FirstOrDefault(e => e.Model.StoredId != candidateModelId && e.EvaluationExecutionId < candidate.EvaluationExecutionId);
        if (baseline is null)
        {
            return new RegressionCheckResult(RegressionVerdict.NoBaseline, primaryMetric, candidate, null, []);
        }

        var names = Doubles(candidate.Metrics).Keys.Union(Doubles(baseline.Metrics).Keys)
            .Where(name => options.Metrics is null || options.Metrics.Contains(name))
            .Order(StringComparer.Ordinal);
        var comparisons = new List<MetricComparison>();
        foreach (var name in names)
        {
            double? value = Doubles(candidate.Metrics).TryGetValue(name, out var c) ? c.DoubleValue : null;
            double? before = Doubles(baseline.Metrics).TryGetValue(name, out var b) ? b.DoubleValue : null;
            var metricGoal = GoalOf(name, options);
            var outcome = MetricOutcome.NotCompared;
            if (metricGoal is { } g && value is { } x && before is { } y)
            {
                var gain = g == MetricGoal.Maximize ? x - y : y - x;
                outcome = gain < -options.Tolerance ? MetricOutcome.Regressed : gain > options.Tolerance ? MetricOutcome.Improved : MetricOutcome.Unchanged;
            }

            comparisons.Add(new MetricComparison(name, metricGoal, value, before, outcome));
        }

        var verdict = comparisons.Any(m => m.Outcome == MetricOutcome.Regressed) ? RegressionVerdict.Regressed : RegressionVerdict.Passed;
        return new RegressionCheckResult(verdict, primaryMetric, candidate, baseline, comparisons);
    }

    /// <summary>
    /// What differs between two recorded trainings: hyperparameters, training data, schema, the metrics of their models
    /// on evaluation data both were evaluated on, and the run context. Equal values are left out.
    /// </summary>
    /// <param name="firstExecutionId">The first training's execution id.</param>
    /// <param name="secondExecutionId">The second training's execution id.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The differences.</returns>
    /// <exception cref="MetadataStoreException">NotFound when either id is no recorded <c>MLNet.Training</c> execution.</exception>
    public async Task<TrainingRunDiff> DiffTrainingRunsAsync(long firstExecutionId, long secondExecutionId, CancellationToken cancellationToken = default)
    {
        var first = await ReadTrainingAsync(firstExecutionId, cancellationToken).ConfigureAwait(false);
        var second = await ReadTrainingAsync(secondExecutionId, cancellationToken).ConfigureAwait(false);

        var hyperparameters = Diff(first.Execution, second.Execution, n => !ContextNames.Contains(n) && !n.StartsWith("env.", StringComparison.Ordinal) && !n.EndsWith(".schema_change", StringComparison.Ordinal));
        var context = Diff(first.Execution, second.Execution, n => ContextNames.Contains(n) || n.StartsWith("env.", StringComparison.Ordinal));
        var schema = Diff(first.Execution, second.Execution, n => n.EndsWith(".schema_change", StringComparison.Ordinal))
            .Concat(Diff(first.Dataset, second.Dataset, n => n == "schema"))
            .ToList();
        var data = Diff(first.Dataset, second.Dataset, n => n != "schema");

        var common = first.Metrics.Keys.Intersect(second.Metrics.Keys).Order(StringComparer.Ordinal).ToList();
        var metrics = new List<PropertyDifference>();
        foreach (var hash in common)
        {
            var prefix = common.Count == 1 ? string.Empty : hash[..Math.Min(12, hash.Length)] + "/";
            metrics.AddRange(Diff(Doubles(first.Metrics[hash]), Doubles(second.Metrics[hash]), _ => true)
                .Select(d => d with { Name = prefix + d.Name }));
        }

        return new TrainingRunDiff(hyperparameters, data, schema, metrics, context);
    }

    private sealed record TrainingRecord(Dictionary<string, PropertyValue> Execution, Dictionary<string, PropertyValue> Dataset, Dictionary<string, Artifact> Metrics);

    private async Task<TrainingRecord> ReadTrainingAsync(long executionId, CancellationToken cancellationToken)
    {
        var executions = await _store.GetExecutionsByIdAsync([executionId], cancellationToken).ConfigureAwait(false);
        var execution = executions.Count == 0 ? null : executions[0];
        if (execution is null || execution.TypeName != MLNetTypeNames.Training)
        {
            throw new MetadataStoreException(MetadataErrorCode.NotFound, $"Execution {executionId} is no recorded {MLNetTypeNames.Training} execution.");
        }

        var events = await _store.GetEventsByExecutionIdsAsync([executionId], cancellationToken).ConfigureAwait(false);
        var datasetId = events.FirstOrDefault(e => e.Type == EventType.Input && HasRole(e, MLNetTypeNames.TrainingDataRole))?.ArtifactId;
        var dataset = new Dictionary<string, PropertyValue>(StringComparer.Ordinal);
        var datasets = datasetId is { } id ? await _store.GetArtifactsByIdAsync([id], cancellationToken).ConfigureAwait(false) : [];
        if (datasets.Count > 0 && datasets[0] is var artifact)
        {
            dataset = Flatten(artifact);
            if (artifact.Uri is { } uri)
            {
                dataset["uri"] = uri;
            }
        }

        // The metrics of the models this training wrote, by evaluation data content hash; the latest evaluation wins.
        var metrics = new Dictionary<string, Artifact>(StringComparer.Ordinal);
        var models = events.Where(e => e.Type == EventType.Output && HasRole(e, MLNetTypeNames.ModelRole)).Select(e => e.ArtifactId!.Value).ToList();
        if (models.Count > 0)
        {
            var evaluations = (await _store.GetEventsByArtifactIdsAsync(models, cancellationToken).ConfigureAwait(false))
                .Where(e => e.Type == EventType.Input && HasRole(e, MLNetTypeNames.ModelRole))
                .Select(e => e.ExecutionId!.Value)
                .Distinct()
                .ToList();
            var evaluationEvents = evaluations.Count == 0 ? [] : await _store.GetEventsByExecutionIdsAsync(evaluations, cancellationToken).ConfigureAwait(false);
            var pairs = evaluationEvents.GroupBy(e => e.ExecutionId!.Value)
                .Select(g => (Execution: g.Key,
                    Data: g.FirstOrDefault(e => e.Type == EventType.Input && HasRole(e, MLNetTypeNames.EvaluationDataRole))?.ArtifactId,
                    Metrics: g.FirstOrDefault(e => e.Type == EventType.Output && HasRole(e, MLNetTypeNames.MetricsRole))?.ArtifactId))
                .Where(p => p.Data is not null && p.Metrics is not null)
                .OrderBy(p => p.Execution)
                .ToList();
            var artifacts = pairs.Count == 0
                ? new Dictionary<long, Artifact>()
                : (await _store.GetArtifactsByIdAsync(pairs.SelectMany(p => new[] { p.Data!.Value, p.Metrics!.Value }).Distinct().ToList(), cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.StoredId);
            foreach (var pair in pairs)
            {
                if (artifacts.TryGetValue(pair.Data!.Value, out var data) && artifacts.TryGetValue(pair.Metrics!.Value, out var m)
                    && data.Properties.TryGetValue("content_hash", out var hash))
                {
                    metrics[hash.StringValue] = m;
                }
            }
        }

        return new TrainingRecord(Flatten(execution), dataset, metrics);
    }

    private static Dictionary<string, PropertyValue> Flatten(MetadataNode node)
    {
        var values = new Dictionary<string, PropertyValue>(node.CustomProperties, StringComparer.Ordinal);
        foreach (var (name, value) in node.Properties)
        {
            values[name] = value;
        }

        return values;
    }

    private static Dictionary<string, PropertyValue> Doubles(Artifact metrics) =>
        metrics.CustomProperties.Where(p => p.Value.Kind == PropertyKind.Double).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static List<PropertyDifference> Diff(IReadOnlyDictionary<string, PropertyValue> first, IReadOnlyDictionary<string, PropertyValue> second, Func<string, bool> include) =>
        first.Keys.Union(second.Keys)
            .Where(include)
            .Order(StringComparer.Ordinal)
            .Select(name => new PropertyDifference(name, first.GetValueOrDefault(name), second.GetValueOrDefault(name)))
            .Where(d => d.First != d.Second)
            .ToList();

    private static MetricGoal? GoalOf(string metric, RegressionCheckOptions options) =>
        options.Goals.TryGetValue(metric, out var given) ? given : MetricGoals.TryGet(metric, out var known) ? known : null;

    private static bool HasRole(Event e, string role) => e.Path.Count > 0 && e.Path[0].Key == role;
}
