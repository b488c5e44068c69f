using MetadataStore.Conformance;

namespace MetadataStore.Tests;

/// <summary>A private in-memory SQLite database per store.</summary>
public sealed class InMemorySqliteFactory : IStoreFactory
{
    public string Name => "sqlite-memory";

    public Task<IMetadataStore> OpenEmptyAsync() => MetadataStoreBuilder.OpenInMemoryAsync();
}

/// <summary>A new SQLite file per store, in a temporary folder removed when the process exits.</summary>
public sealed class FileSqliteFactory : IStoreFactory
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("metadatastore-tests-").FullName;

    public string Name => "sqlite-file";

    public Task<IMetadataStore> OpenEmptyAsync() =>
        new MetadataStoreBuilder().UseSqliteFile(Path.Combine(Folder, Guid.NewGuid().ToString("N") + ".db")).OpenAsync();
}
