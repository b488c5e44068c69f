namespace MetadataStore.MLNet;

/// <summary>The names of the types and properties <see cref="MLNetTracker"/> records, for queries and filters.</summary>
public static class MLNetTypeNames
{
    /// <summary>The artifact type of a data set read by training or evaluation (base type Dataset).</summary>
    public const string Dataset = "MLNet.Dataset";

    /// <summary>The artifact type of a saved model (base type Model).</summary>
    public const string Model = "MLNet.Model";

    /// <summary>The artifact type of a set of evaluation metrics (base type Metrics).</summary>
    public const string Metrics = "MLNet.Metrics";

    /// <summary>The execution type of a fit (base type Train).</summary>
    public const string Training = "MLNet.Training";

    /// <summary>The execution type of an evaluation (base type Evaluate).</summary>
    public const string Evaluation = "MLNet.Evaluation";

    /// <summary>
    /// The execution type that links two versions of a data set (base type Process): recorded when data from a URI
    /// already recorded has new content; it reads the previous version and writes the new one.
    /// </summary>
    public const string DatasetVersion = "MLNet.DatasetVersion";

    /// <summary>The prefix of a data set's external id; the SHA-256 of its content follows.</summary>
    public const string DatasetExternalIdPrefix = "mlnet.dataset:sha256:";

    /// <summary>The event path key of the data set a training reads.</summary>
    public const string TrainingDataRole = "training_data";

    /// <summary>The event path key of the model a training writes or an evaluation reads.</summary>
    public const string ModelRole = "model";

    /// <summary>The event path key of the data set an evaluation reads.</summary>
    public const string EvaluationDataRole = "evaluation_data";

    /// <summary>The event path key of the metrics an evaluation writes.</summary>
    public const string MetricsRole = "metrics";

    /// <summary>The event path key of the version a <see cref="DatasetVersion"/> execution reads.</summary>
    public const string PreviousVersionRole = "previous_version";

    /// <summary>The event path key of the version a <see cref="DatasetVersion"/> execution writes.</summary>
    public const string NextVersionRole = "next_version";
}
