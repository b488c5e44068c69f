namespace MetadataStore.MLNet;

/// <summary>The result of <see cref="MLNetTracker.EvaluateAsync{TMetrics}"/>: the metrics and what was recorded.</summary>
/// <typeparam name="TMetrics">The metrics type the evaluation returns.</typeparam>
/// <param name="Metrics">The metrics, exactly as the evaluation returned them.</param>
/// <param name="ExecutionId">The id of the evaluation execution.</param>
/// <param name="MetricsArtifactId">The id of the metrics artifact.</param>
/// <param name="EvaluationData">The evaluation data as recorded.</param>
/// <param name="RecordedMetrics">The scalar metrics recorded, by property name.</param>
public sealed record EvaluationRun<TMetrics>(
    TMetrics Metrics,
    long ExecutionId,
    long MetricsArtifactId,
    TrackedDataset EvaluationData,
    IReadOnlyDictionary<string, double> RecordedMetrics);
