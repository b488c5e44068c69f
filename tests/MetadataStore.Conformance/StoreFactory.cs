namespace MetadataStore.Conformance;

/// <summary>How a backend's test project opens a fresh, empty store for each conformance test.</summary>
public interface IStoreFactory
{
    /// <summary>A short name of the backend, used in test output.</summary>
    string Name { get; }

    /// <summary>Opens a new, empty store. The caller disposes it.</summary>
    Task<IMetadataStore> OpenEmptyAsync();
}
