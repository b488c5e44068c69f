namespace MetadataStore.MLNet;

/// <summary>The result of <see cref="MLNetTracker.FitAsync{TTransformer}"/>: the fitted model and what was recorded.</summary>
/// <typeparam name="TTransformer">The transformer the estimator produces.</typeparam>
public sealed class TrainingRun<TTransformer>
    where TTransformer : class, ITransformer
{
    internal TrainingRun(TTransformer model, Execution? execution, TrackedDataset? trainingData, Exception? trackingError)
    {
        Model = model;
        Execution = execution;
        TrainingData = trainingData;
        TrackingError = trackingError;
    }

    /// <summary>The fitted model, exactly as the estimator returned it, whether or not the recording succeeded.</summary>
    public TTransformer Model { get; }

    /// <summary>The id of the training execution; null when the recording failed.</summary>
    public long? ExecutionId => Execution?.Id;

    /// <summary>The training data as recorded; null when the recording failed.</summary>
    public TrackedDataset? TrainingData { get; }

    /// <summary>Why the training was not recorded, or null when it was.</summary>
    public Exception? TrackingError { get; }

    /// <summary>Whether the training was recorded.</summary>
    public bool IsTracked => TrackingError is null;

    internal Execution? Execution { get; }
}
