namespace MetadataStore.MLNet;

/// <summary>The result of <see cref="MLNetTracker.EvaluateAsync{TMetrics}"/>: the metrics and what was recorded.</summary>
/// <typeparam name="TMetrics">The metrics type the evaluation returns.</typeparam>
public sealed class EvaluationRun<TMetrics>
{
    internal EvaluationRun(TMetrics metrics, IReadOnlyDictionary<string, double> values, long? executionId, long? metricsArtifactId, TrackedDataset? evaluationData, Exception? trackingError)
    {
        Metrics = metrics;
        RecordedMetrics = values;
        ExecutionId = executionId;
        MetricsArtifactId = metricsArtifactId;
        EvaluationData = evaluationData;
        TrackingError = trackingError;
    }

    /// <summary>The metrics, exactly as the evaluation returned them, whether or not the recording succeeded.</summary>
    public TMetrics Metrics { get; }

    /// <summary>
    /// The scalar metrics read from <see cref="Metrics"/>, by recorded name (series elements as <c>Name@k</c> or
    /// <c>Name[i]</c>). NaN values are listed here but not stored; the store keeps their names in <c>nan_metrics</c>.
    /// </summary>
    public IReadOnlyDictionary<string, double> RecordedMetrics { get; }

    /// <summary>The id of the evaluation execution; null when the recording failed.</summary>
    public long? ExecutionId { get; }

    /// <summary>The id of the metrics artifact; null when the recording failed.</summary>
    public long? MetricsArtifactId { get; }

    /// <summary>The evaluation data as recorded; null when the recording failed.</summary>
    public TrackedDataset? EvaluationData { get; }

    /// <summary>Why the evaluation was not recorded, or null when it was.</summary>
    public Exception? TrackingError { get; }

    /// <summary>Whether the evaluation was recorded.</summary>
    public bool IsTracked => TrackingError is null;
}
