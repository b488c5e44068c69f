namespace MetadataStore.MLNet;

/// <summary>A data set as recorded: its artifact, the hash of its content, its row count and its version.</summary>
/// <param name="ArtifactId">The id of the data set artifact; the same content is always the same artifact.</param>
/// <param name="Uri">Where the data came from, as given by the caller (kept from the first recording of this content).</param>
/// <param name="ContentHash">The SHA-256 of the schema and rows, lowercase hexadecimal.</param>
/// <param name="RowCount">The number of rows.</param>
/// <param name="Version">The version among the contents recorded from the same URI, from 1.</param>
/// <param name="PreviousVersionId">The artifact id of the version before, when this content replaced another from the same URI.</param>
public sealed record TrackedDataset(long ArtifactId, string Uri, string ContentHash, long RowCount, long Version, long? PreviousVersionId);
