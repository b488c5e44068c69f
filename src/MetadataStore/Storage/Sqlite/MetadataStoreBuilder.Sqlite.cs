namespace MetadataStore;

// The builder's shortcut to the embedded backend, kept beside that backend.
public sealed partial class MetadataStoreBuilder
{
    /// <summary>Opens a new, private in-memory SQLite store in one line, for unit tests.</summary>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open store; its data lives until it is disposed.</returns>
    public static Task<IMetadataStore> OpenInMemoryAsync(CancellationToken cancellationToken = default) =>
        new MetadataStoreBuilder().UseInMemorySqlite().OpenAsync(cancellationToken);
}
