namespace MetadataStore.MLNet;

/// <summary>A model saved by <see cref="MLNetTracker.SaveModelAsync{TTransformer}"/> and recorded as its training's output.</summary>
/// <param name="Model">The fitted model.</param>
/// <param name="ArtifactId">The id of the model artifact.</param>
/// <param name="Path">The full path of the saved file.</param>
/// <param name="Sha256">The SHA-256 of the saved file, lowercase hexadecimal.</param>
/// <param name="SizeBytes">The size of the saved file in bytes.</param>
/// <param name="TrainingExecutionId">The id of the training execution that produced the model.</param>
public sealed record SavedModel(ITransformer Model, long ArtifactId, string Path, string Sha256, long SizeBytes, long TrainingExecutionId);
