namespace MetadataStore.MLNet;

/// <summary>The result of <see cref="MLNetTracker.FitAsync{TTransformer}"/>: the fitted model and what was recorded.</summary>
/// <typeparam name="TTransformer">The transformer the estimator produces.</typeparam>
public sealed class TrainingRun<TTransformer>
    where TTransformer : class, ITransformer
{
    internal TrainingRun(TTransformer model, Execution execution, TrackedDataset trainingData)
    {
        Model = model;
        Execution = execution;
        TrainingData = trainingData;
    }

    /// <summary>The fitted model, exactly as the estimator returned it.</summary>
    public TTransformer Model { get; }

    /// <summary>The id of the training execution.</summary>
    public long ExecutionId => Execution.StoredId;

    /// <summary>The training data as recorded.</summary>
    public TrackedDataset TrainingData { get; }

    internal Execution Execution { get; }
}
