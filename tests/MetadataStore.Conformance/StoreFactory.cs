namespace MetadataStore.Conformance;

/// <summary>
/// How a backend's test project opens stores for the conformance suite. Each test class instance (one per test) gets
/// its own factory and disposes it after the test, so a factory may remove the databases it created.
/// </summary>
public interface IStoreFactory : IDisposable
{
    /// <summary>A short name of the backend, used in test output.</summary>
    string Name { get; }

    /// <summary>Opens a new, empty store. The caller disposes it.</summary>
    /// <param name="clock">The store's clock; <see langword="null"/> for the system clock.</param>
    /// <returns>The open store.</returns>
    Task<IMetadataStore> OpenEmptyAsync(TimeProvider? clock = null);

    /// <summary>
    /// Opens another store on the database of <paramref name="first"/>, a store this factory opened and that is still
    /// open, as a second client of that database would (its own connections, its own caches). The caller disposes it.
    /// </summary>
    /// <param name="first">A store returned by <see cref="OpenEmptyAsync"/> of this factory.</param>
    /// <param name="clock">The new store's clock; <see langword="null"/> for the system clock.</param>
    /// <returns>The second store.</returns>
    Task<IMetadataStore> OpenSameAsync(IMetadataStore first, TimeProvider? clock = null);

    /// <summary>
    /// How another process opens the database of <paramref name="first"/> (a store this factory opened and that is
    /// still open), or <see langword="null"/> when the backend cannot share its database with another process (an
    /// in-memory database, for example); the multi-process tests then skip.
    /// </summary>
    /// <param name="first">A store returned by <see cref="OpenEmptyAsync"/> of this factory.</param>
    /// <returns>The command that starts a worker on that database, or <see langword="null"/>.</returns>
    WorkerCommand? WorkerFor(IMetadataStore first);
}
