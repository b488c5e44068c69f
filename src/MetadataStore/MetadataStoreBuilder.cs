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

    /// <summary>Uses a SQLite database given by a Microsoft.Data.Sqlite connection string, such as <c>Data Source=mlmd.db</c>.</summary>
    /// <param name="connectionString">The connection string. <c>Data Source=:memory:</c> is a private in-memory database that lives as long as the store.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The connection string cannot be parsed.</exception>
    public MetadataStoreBuilder UseSqlite(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var parsed = new SqliteConnectionStringBuilder(connectionString);
        _dataSource = parsed.DataSource;
        _backendFactory = logger => new SqliteBackend(parsed.ConnectionString, logger);
        return this;
    }

    /// <summary>Uses a SQLite database file, created when missing, in write-ahead-log mode.</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>This builder.</returns>
    public MetadataStoreBuilder UseSqliteFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
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

    /// <summary>Sets what opening may do to the schema; the default is <see cref="SchemaMode.CreateOrVerify"/>.</summary>
    /// <param name="mode">The mode.</param>
    /// <returns>This builder.</returns>
    public MetadataStoreBuilder WithSchemaMode(SchemaMode mode)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown schema mode.");
        }

        _schemaMode = mode;
        return this;
    }

    /// <summary>Opens the store: connects, then creates or verifies the schema.</summary>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open store; dispose it to close the database.</returns>
    /// <exception cref="InvalidOperationException">No database was configured.</exception>
    /// <exception cref="MetadataStoreException">
    /// FailedPrecondition when the database holds a newer, foreign or partial schema, or an older one that the schema
    /// mode or connection does not allow upgrading or that cannot be upgraded, or the process may not access it;
    /// DataLoss when the file is damaged; Unavailable when its folder or file is missing or the disk is full; Internal
    /// when an upgrade fails midway (the database is left unchanged). A refused open writes nothing.
    /// </exception>
    public async Task<IMetadataStore> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_backendFactory is null)
        {
            throw new InvalidOperationException("No database is configured: call UseSqlite, UseSqliteFile or UseInMemorySqlite first.");
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
        return new MetadataStoreEngine(backend, logger);
    }

    /// <summary>Opens a new, private in-memory SQLite store in one line, for unit tests.</summary>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open store; its data lives until it is disposed.</returns>
    public static Task<IMetadataStore> OpenInMemoryAsync(CancellationToken cancellationToken = default) =>
        new MetadataStoreBuilder().UseInMemorySqlite().OpenAsync(cancellationToken);
}
