namespace MetadataStore.Diagnostics;

/// <summary>Diagnostic ids of experimental public APIs.</summary>
internal static class Experiments
{
    /// <summary>
    /// The record-level storage interface (<c>IStorageBackend</c>, <c>IStorageTransaction</c>, their records and
    /// <c>MetadataStoreBuilder.UseBackend</c>): it may change until a second backend has proven it.
    /// </summary>
    public const string StorageSpi = "MDS0001";
}
