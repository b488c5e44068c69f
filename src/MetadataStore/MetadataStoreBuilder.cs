using System.Diagnostics;
using MetadataStore.Diagnostics;
using MetadataStore.Semantics;
using MetadataStore.Storage;
using MetadataStore.Storage.Sqlite;
using Microsoft.Data.Sqlite;
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
public sealed class MetadataStoreBuilder
{
    private Func<ILogger, IStorageBackend>? _backendFactory;
    private string _dataSource = string.Empty;
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;
    private SchemaMode _schemaMode = SchemaMode.CreateOrVerify;
    private TimeProvider _timeProvider = TimeProvider.System;
    private int _pageCacheMebibytes = SqliteSettings.DefaultPageCacheMebibytes;

    /// <summary>Uses a SQLite database given by a Microsoft.Data.Sqlite connection string, such as <c>Data Source=mlmd.db</c>.</summary>
    /// <param name="connectionString">The connection string. <c>Data Source=:memory:</c> is a private in-memory database that lives as long as the store.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when the connection string is blank or cannot be parsed.</exception>
    public MetadataStoreBuilder UseSqlite(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, "The SQLite connection string must not be blank.");
        }

        SqliteConnectionStringBuilder parsed;
        try
        {
            parsed = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The SQLite connection string cannot be parsed: {ex.Message}", ex);
        }

        _dataSource = parsed.DataSource;
        _backendFactory = logger => new SqliteBackend(parsed.ConnectionString, logger) { CacheSizeKib = _pageCacheMebibytes * 1024L };
        return this;
    }

    /// <summary>Uses a SQLite database file, created when missing, in write-ahead-log mode.</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when the path is blank.</exception>
    public MetadataStoreBuilder UseSqliteFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, "The SQLite file path must not be blank.");
        }

        return UseSqlite(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate }.ConnectionString);
    }

    /// <summary>Uses a new, private in-memory SQLite database that lives as long as the store; the usual choice for unit tests.</summary>
    /// <returns>This builder.</returns>
    public MetadataStoreBuilder UseInMemorySqlite()
    {
        var name = "metadatastore-" + Guid.NewGuid().ToString("N");
        return UseSqlite(new SqliteConnectionStringBuilder { DataSource = name, Mode = SqliteOpenMode.Memory, Cache = SqliteCacheMode.Shared }.ConnectionString);
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

    /// <summary>
    /// Sets the size of the database page cache each of the store's connections keeps in memory (SQLite's <c>PRAGMA cache_size</c>,
    /// whatever the connection string says). The default, <see cref="DefaultPageCacheMebibytes"/> MiB, keeps the
    /// upper levels of every index of a store of millions of nodes in memory, so a read by id costs about one page
    /// read per table however large the store grows. The memory is taken only as pages are read.
    /// </summary>
    /// <param name="mebibytes">The cache size in MiB, 1 to 65,536.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when <paramref name="mebibytes"/> is outside 1 to 65,536.</exception>
    public MetadataStoreBuilder WithPageCacheSize(int mebibytes)
    {
        if (mebibytes is < 1 or > 65_536)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The page cache size must be 1 to 65,536 MiB, not {mebibytes}.");
        }

        _pageCacheMebibytes = mebibytes;
        return this;
    }

    /// <summary>The page cache size, in MiB, a store uses unless <see cref="WithPageCacheSize"/> sets another.</summary>
    public static int DefaultPageCacheMebibytes => SqliteSettings.DefaultPageCacheMebibytes;

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
            throw new MetadataStoreException(MetadataErrorCode.FailedPrecondition, "No database is configured: call UseSqlite, UseSqliteFile or UseInMemorySqlite first.");
        }

        var stopwatch = Stopwatch.StartNew();
        var logger = _loggerFactory.CreateLogger("MetadataStore");
        var backend = _backendFactory(logger);
        try
        {
            await backend.OpenAsync(_schemaMode, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await backend.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        Log.StoreOpened(logger, "SQLite", _dataSource, stopwatch.ElapsedMilliseconds);
        return new MetadataStoreEngine(backend, logger, _timeProvider);
    }

    /// <summary>Opens a new, private in-memory SQLite store in one line, for unit tests.</summary>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open store; its data lives until it is disposed.</returns>
    public static Task<IMetadataStore> OpenInMemoryAsync(CancellationToken cancellationToken = default) =>
        new MetadataStoreBuilder().UseInMemorySqlite().OpenAsync(cancellationToken);
}
