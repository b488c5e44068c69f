using MetadataStore.Conformance;

namespace MetadataStore.Tests;

/// <summary>A private in-memory SQLite database per store; it vanishes with the store.</summary>
public sealed class InMemorySqliteFactory : IStoreFactory
{
    public string Name => "sqlite-memory";

    public Task<IMetadataStore> OpenEmptyAsync(TimeProvider? clock = null) =>
        new MetadataStoreBuilder().UseInMemorySqlite().UseTimeProvider(clock ?? TimeProvider.System).OpenAsync();

    public void Dispose()
    {
    }
}

/// <summary>A new SQLite file per store, in a temporary folder of this factory's, removed when the factory is disposed.</summary>
public sealed class FileSqliteFactory : IStoreFactory
{
    private readonly Lazy<string> _folder = new(() => Directory.CreateTempSubdirectory("metadatastore-tests-").FullName);

    public string Name => "sqlite-file";

    public Task<IMetadataStore> OpenEmptyAsync(TimeProvider? clock = null) =>
        new MetadataStoreBuilder().UseSqliteFile(Path.Combine(_folder.Value, Guid.NewGuid().ToString("N") + ".db")).UseTimeProvider(clock ?? TimeProvider.System).OpenAsync();

    public void Dispose()
    {
        if (_folder.IsValueCreated)
        {
            try
            {
                Directory.Delete(_folder.Value, recursive: true);
            }
            catch (IOException)
            {
                // A store still open elsewhere keeps its file; a leftover temporary folder is harmless.
            }
        }
    }
}
