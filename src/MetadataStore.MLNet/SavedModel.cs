namespace MetadataStore.MLNet;

/// <summary>A model saved by <see cref="MLNetTracker.SaveModelAsync{TTransformer}"/> and recorded as its training's output.</summary>
public sealed class SavedModel
{
    internal SavedModel(ITransformer model, long? artifactId, string path, string sha256, long sizeBytes, long? trainingExecutionId, Exception? trackingError)
    {
        Model = model;
        ArtifactId = artifactId;
        Path = path;
        Sha256 = sha256;
        SizeBytes = sizeBytes;
        TrainingExecutionId = trainingExecutionId;
        TrackingError = trackingError;
    }

    /// <summary>The fitted model.</summary>
    public ITransformer Model { get; }

    /// <summary>The id of the model artifact; null when the recording failed.</summary>
    public long? ArtifactId { get; }

    /// <summary>The full path of the saved file.</summary>
    public string Path { get; }

    /// <summary>The SHA-256 of the saved file, lowercase hexadecimal.</summary>
    public string Sha256 { get; }

    /// <summary>The size of the saved file in bytes.</summary>
    public long SizeBytes { get; }

    /// <summary>The id of the training execution that produced the model; null when the training was not recorded.</summary>
    public long? TrainingExecutionId { get; }

    /// <summary>Why the model was not recorded, or null when it was.</summary>
    public Exception? TrackingError { get; }

    /// <summary>Whether the model was recorded.</summary>
    public bool IsTracked => TrackingError is null;
}
