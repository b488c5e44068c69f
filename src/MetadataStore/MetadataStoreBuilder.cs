using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using MetadataStore.Diagnostics;
using MetadataStore.Semantics;
using MetadataStore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetadataStore;

/// <summary>
/// Configures and opens an <see cref="IMetadataStore"/>:
/// <code>
/// await using IMetadataStore store = await new MetadataStoreBuilder()
///     .UseSqliteFile("mlmd.db")
///     .OpenAsync(cancellationToken);
/// </code>
/// </summary>
public sealed partial class MetadataStoreBuilder
{
    private Func<StorageBackendContext, IStorageBackend>? _backendFactory;
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;
    private SchemaMode _schemaMode = SchemaMode.CreateOrVerify;
    private TimeProvider _timeProvider = TimeProvider.System;

    /// <summary>
    /// Uses the storage backend the factory creates when the store opens. Backend packages offer their own builder
    /// extensions (such as <c>UseSqliteFile</c>) that call this; the last backend configured wins.
    /// </summary>
    /// <param name="factory">Creates the backend, given what the store offers it. The store opens the backend and disposes it.</param>
    /// <returns>This builder.</returns>
    [Experimental(Experiments.StorageSpi)]
    public MetadataStoreBuilder UseBackend(Func<StorageBackendContext, IStorageBackend> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _backendFactory = factory;
        return this;
    }

    /// <summary>Logs through the host's logger factory.</summary>
    /// <param name="loggerFactory">The factory.</param>
    /// <returns>This builder.</returns>
    public MetadataStoreBuilder UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Sets the clock the store reads for creation, update and event times; the default is <see cref="TimeProvider.System"/>.</summary>
    /// <param name="timeProvider">The clock, such as a fake one in tests.</param>
    /// <returns>This builder.</returns>
    public MetadataStoreBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        return this;
    }

    /// <summary>Sets what opening may do to the schema; the default is <see cref="SchemaMode.CreateOrVerify"/>.</summary>
    /// <param name="mode">The mode.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument for a value that names no mode.</exception>
    public MetadataStoreBuilder WithSchemaMode(SchemaMode mode)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"{(int)mode} is not a schema mode.");
        }

        _schemaMode = mode;
        return this;
    }

    /// <summary>Opens the store: connects, then creates or verifies the schema.</summary>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open store; dispose it to close the database.</returns>
    /// <exception cref="MetadataStoreException">
    /// FailedPrecondition when no database was configured, when the database holds a newer, foreign or partial schema, or an older one that the schema
    /// mode or connection does not allow upgrading or that cannot be upgraded, or the process may not access it;
    /// DataLoss when the file is damaged; Unavailable when its folder or file is missing or the disk is full; Internal
    /// when an upgrade fails midway (the database is left unchanged). A refused open writes nothing.
    /// </exception>
    public async Task<IMetadataStore> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_backendFactory is null)
        {
            throw new MetadataStoreException(MetadataErrorCode.FailedPrecondition, "No database is configured: call UseSqliteFile, UseInMemorySqlite or another backend's Use method first.");
        }

        var stopwatch = Stopwatch.StartNew();
        var logger = _loggerFactory.CreateLogger("MetadataStore");
        var backend = _backendFactory(new StorageBackendContext(logger, _timeProvider, _schemaMode))
            ?? throw new MetadataStoreException(MetadataErrorCode.FailedPrecondition, "The backend factory returned no backend.");
        try
        {
            await backend.OpenAsync(_schemaMode, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await backend.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        Log.StoreOpened(logger, backend.Description, stopwatch.ElapsedMilliseconds);
        return new MetadataStoreEngine(backend, logger, _timeProvider);
    }
}
