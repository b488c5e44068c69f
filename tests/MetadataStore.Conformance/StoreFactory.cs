namespace MetadataStore.Conformance;

/// <summary>
/// How a backend's test project opens a fresh, empty store for each conformance test. Each test class instance (one
/// per test) gets its own factory and disposes it after the test, so a factory may remove the databases it created.
/// </summary>
public interface IStoreFactory : IDisposable
{
    /// <summary>A short name of the backend, used in test output.</summary>
    string Name { get; }

    /// <summary>Opens a new, empty store. The caller disposes it.</summary>
    /// <param name="clock">The store's clock; <see langword="null"/> for the system clock.</param>
    Task<IMetadataStore> OpenEmptyAsync(TimeProvider? clock = null);
}
