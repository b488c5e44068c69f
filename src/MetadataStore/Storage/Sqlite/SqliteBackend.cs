using System.Data.Common;
using System.Globalization;
using MetadataStore.Diagnostics;
using MetadataStore.Storage.Relational;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace MetadataStore.Storage.Sqlite;

/// <summary>
/// The SQLite backend: MLMD's schema v10 in a file or in memory. It holds one writer connection for its whole life
/// (an in-memory database lives only as long as a connection to it) and serializes write units of work on it with
/// an async lock. A file in write-ahead-log mode also serves read units of work from a small pool of reader
/// connections, each a WAL reader on its own committed snapshot, so reads run beside the writer and each other.
/// The relational engine runs the units of work with <see cref="SqliteDialect"/>; this class owns SQLite's
/// connections, file set, write-ahead log and schema.
/// </summary>
internal sealed class SqliteBackend : RelationalBackend
{
    // Microsoft.Data.Sqlite waits this long on a locked database before reporting SQLITE_BUSY; our retry loop
    // then starts the whole unit of work again. Used unless the connection string sets its own timeout.
    private const int DefaultBusyTimeoutSeconds = 5;

    // Reader connections of a WAL file: enough for a few concurrent readers on a small machine, one per core on a larger one.
    private static readonly int ReaderCount = Math.Clamp(Environment.ProcessorCount, 4, 16);

    private readonly string _connectionString;
    private readonly string _dataSource;
    private readonly bool _isMemory;
    private readonly bool _isReadOnly;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Stack<RelationalSession> _idleReaders = new();
    private SqliteConnection? _connection;
    private RelationalSession? _writer;
    private SemaphoreSlim? _readerSlots;
    private string? _readerConnectionString;

    public SqliteBackend(string connectionString, ILogger logger)
        : base(new SqliteDialect(DataSourceOf(connectionString)), logger)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var raw = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!raw.ContainsKey("Default Timeout") && !raw.ContainsKey("Command Timeout") && !raw.ContainsKey("DefaultTimeout"))
        {
            builder.DefaultTimeout = DefaultBusyTimeoutSeconds;
        }

        // The one connection is held open for the backend's life, so pooling would only keep files open after disposal.
        builder.Pooling = false;
        _connectionString = builder.ConnectionString;
        _dataSource = builder.DataSource;
        _isMemory = builder.Mode == SqliteOpenMode.Memory || builder.DataSource.Length == 0 || builder.DataSource == ":memory:";
        _isReadOnly = builder.Mode == SqliteOpenMode.ReadOnly;
    }

    public override string Description => _isMemory ? "the in-memory SQLite database" : $"the SQLite database '{_dataSource}'";

    /// <summary>Whether the database lives in memory (no write-ahead log then).</summary>
    internal bool IsMemory => _isMemory;

    /// <summary>Whether the connection string opens the database read-only.</summary>
    internal bool IsReadOnly => _isReadOnly;

    /// <summary>The page cache of the connection, in KiB (<c>PRAGMA cache_size</c>; set per connection, never stored in the file).</summary>
    internal long CacheSizeKib { get; init; } = SqliteSettings.DefaultPageCacheMebibytes * 1024L;

    /// <summary>The bytes of the file each connection reads through a memory map (<c>PRAGMA mmap_size</c>; 0 reads with system calls).</summary>
    internal long MemoryMapBytes { get; init; } = SqliteSettings.DefaultMemoryMapBytes;

    // A negative cache size is in KiB. Both per connection, never stored in the file.
    private string ConnectionPragmas =>
        "PRAGMA cache_size = -" + CacheSizeKib.ToString(CultureInfo.InvariantCulture)
        + "; PRAGMA mmap_size = " + MemoryMapBytes.ToString(CultureInfo.InvariantCulture) + ";";

    /// <summary>Whether read units of work run on their own connections.</summary>
    internal bool HasReaderPool => _readerSlots is not null;

    internal SqliteConnection Connection => _connection ?? throw new InvalidOperationException("The backend is not open.");

    public override async ValueTask OpenAsync(SchemaMode mode, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        var files = _isMemory ? null : SqliteFileSet.Capture(_dataSource);
        try
        {
            _connection ??= Connect(mode, files);
            _writer ??= new RelationalSession(Dialect, _connection);

            var schema = new SqliteSchemaManager(this, _dataSource, Logger);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    if (!_isMemory)
                    {
                        // Per connection, not stored in the file.
                        ExecuteText("PRAGMA synchronous = NORMAL;");
                    }

                    // Per connection, so a read-only open stays free of writes.
                    ExecuteText(ConnectionPragmas);
                    schema.Open(mode, cancellationToken);
                    break;
                }
                catch (SqliteException ex) when (IsBusy(ex) && attempt < MaxAttempts)
                {
                    var delay = (int)Dialect.RetryDelay(attempt).TotalMilliseconds;
                    Log.TransactionRetrying(Logger, attempt, MaxAttempts, delay);
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (SqliteException ex)
                {
                    throw Translate(ex, _dataSource);
                }
            }

            if (files is { WalHadFrames: true })
            {
                // Opened: closing may checkpoint the log into the file again, as any SQLite connection does.
                SetCheckpointOnClose(_connection, true);
            }

            StartReaders();
        }
        catch
        {
            // A refused open writes nothing: close without checkpointing, and remove only a file this open created
            // and left empty.
            _connection?.Dispose();
            _connection = null;
            _writer = null;
            files?.RemoveEmptyDatabaseCreatedByOpen();
            throw;
        }
        finally
        {
            _lock.Release();
        }
    }

    protected override async ValueTask<RelationalSession> AcquireSessionAsync(bool write, CancellationToken cancellationToken)
    {
        if (write || _readerSlots is null)
        {
            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            return _writer ?? throw new InvalidOperationException("The backend is not open.");
        }

        await _readerSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return TakeReader();
        }
        catch
        {
            _readerSlots.Release();
            throw;
        }
    }

    protected override void ReleaseSession(RelationalSession session, bool write)
    {
        if (ReferenceEquals(session, _writer))
        {
            _lock.Release();
            return;
        }

        lock (_idleReaders)
        {
            _idleReaders.Push(session);
        }

        _readerSlots!.Release();
    }

    /// <summary>
    /// Starts the reader pool when the database is a file in WAL mode without a shared cache: only there do readers
    /// run beside the writer, each on its own snapshot. A shared-cache (in-memory) database locks tables across its
    /// connections, and in a rollback-journal file a writer would wait for every reader.
    /// </summary>
    private void StartReaders()
    {
        if (_isMemory || _readerSlots is not null)
        {
            return;
        }

        var builder = new SqliteConnectionStringBuilder(_connectionString);
        if (builder.Cache == SqliteCacheMode.Shared
            || !string.Equals(ScalarText("PRAGMA journal_mode;") as string, "wal", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        // A reader never writes, nor creates the file.
        builder.Mode = SqliteOpenMode.ReadOnly;
        _readerConnectionString = builder.ConnectionString;
        _readerSlots = new SemaphoreSlim(ReaderCount, ReaderCount);
    }

    /// <summary>An idle reader session, or a new one while the pool is below its size (the caller holds a slot).</summary>
    private RelationalSession TakeReader()
    {
        lock (_idleReaders)
        {
            if (_idleReaders.TryPop(out var idle))
            {
                return idle;
            }
        }

        var connection = new SqliteConnection(_readerConnectionString);
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = ConnectionPragmas;
            pragma.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw Translate(ex, _dataSource);
        }

        return new RelationalSession(Dialect, connection);
    }

    /// <summary>Closes every connection; called once no unit of work runs or waits.</summary>
    protected override void Close()
    {
        // Readers first: the writer's close is the last one, which checkpoints and removes the write-ahead log.
        foreach (var reader in _idleReaders)
        {
            reader.Dispose();
        }

        _idleReaders.Clear();
        if (_writer is not null)
        {
            _writer.Dispose();
        }
        else
        {
            _connection?.Dispose();
        }

        _writer = null;
        _connection = null;
        _lock.Dispose();
        _readerSlots?.Dispose();
    }

    /// <summary>Whether the error is a lock conflict with another connection (SQLITE_BUSY or SQLITE_LOCKED).</summary>
    internal static bool IsBusy(SqliteException ex) => SqliteErrors.IsBusy(ex);

    /// <summary>Translates a provider error on the database <paramref name="dataSource"/>; see <see cref="SqliteErrors"/>.</summary>
    internal static MetadataStoreException Translate(SqliteException ex, string? dataSource = null) => SqliteErrors.Translate(ex, dataSource);

    /// <summary>Runs a scalar query on a reader connection of the pool, or on the writer without one (to check connection settings).</summary>
    internal async ValueTask<object?> ReaderScalarAsync(string sql, CancellationToken cancellationToken)
    {
        var session = await AcquireSessionAsync(false, cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = session.Connection.CreateCommand();
            command.CommandText = sql;
            return command.ExecuteScalar();
        }
        finally
        {
            ReleaseSession(session, false);
        }
    }

    /// <summary>Runs SQL text outside the statement cache (schema work).</summary>
    internal int ExecuteText(string sql, SqliteTransaction? transaction = null)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteNonQuery();
    }

    /// <summary>Runs a scalar query outside the statement cache (schema work).</summary>
    internal object? ScalarText(string sql, SqliteTransaction? transaction = null)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteScalar();
    }

    private static void SetCheckpointOnClose(SqliteConnection connection, bool enabled)
    {
        const int noCheckpointOnClose = 1006; // SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE
        SQLitePCL.raw.sqlite3_db_config(connection.Handle, noCheckpointOnClose, enabled ? 0 : 1, out _);
    }

    private SqliteConnection Connect(SchemaMode mode, SqliteFileSet? files)
    {
        var connectionString = _connectionString;
        if (mode == SchemaMode.VerifyOnly && files is not null)
        {
            if (!files.DatabaseExisted)
            {
                const string reason = "the file does not exist and the schema mode is VerifyOnly, which never creates a database";
                Log.SchemaRefused(Logger, _dataSource, reason);
                throw new MetadataStoreException(MetadataErrorCode.FailedPrecondition, $"Cannot open the database '{_dataSource}': {reason}.");
            }

            // Should the file vanish before SQLite opens it, fail rather than create it.
            var builder = new SqliteConnectionStringBuilder(connectionString);
            if (builder.Mode == SqliteOpenMode.ReadWriteCreate)
            {
                builder.Mode = SqliteOpenMode.ReadWrite;
                connectionString = builder.ConnectionString;
            }
        }

        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            if (files is { WalHadFrames: true })
            {
                // Closing the last connection checkpoints the log into the file; a refused open must not.
                SetCheckpointOnClose(connection, false);
            }
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw Translate(ex, _dataSource);
        }

        return connection;
    }

    private static string DataSourceOf(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return new SqliteConnectionStringBuilder(connectionString).DataSource;
    }
}
