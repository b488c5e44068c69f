using System.Data.Common;
using System.Globalization;
using MetadataStore.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace MetadataStore.Storage.Sqlite;

/// <summary>
/// The SQLite backend: MLMD's schema v10 in a file or in memory. It holds one writer connection for its whole life
/// (an in-memory database lives only as long as a connection to it) and serializes write units of work on it with
/// an async lock. A file in write-ahead-log mode also serves read units of work from a small pool of reader
/// connections, each a WAL reader on its own committed snapshot, so reads run beside the writer and each other.
/// Microsoft.Data.Sqlite runs statements synchronously, so a unit of work runs on a thread-pool thread and the
/// caller gets a pending task at once. Disposal cancels queued and running units of work, waits until they have
/// rolled back, then closes the connections.
/// </summary>
internal sealed class SqliteBackend : IStorageBackend
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
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lock = new(1, 1);

    // Cancelled by disposal: queued and running units of work stop at their next check and roll back.
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stack<SqliteSession> _idleReaders = new();
    private SqliteConnection? _connection;
    private SqliteSession? _writer;
    private SemaphoreSlim? _readerSlots;
    private string? _readerConnectionString;

    // One reference for the open backend plus one per call inside ExecuteAsync; disposal drops the first and waits for zero.
    private int _active = 1;
    private int _disposed;

    public SqliteBackend(string connectionString, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(logger);
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
        _logger = logger;
    }

    /// <summary>Whether the database lives in memory (no write-ahead log then).</summary>
    internal bool IsMemory => _isMemory;

    /// <summary>Whether the connection string opens the database read-only.</summary>
    internal bool IsReadOnly => _isReadOnly;

    /// <summary>The page cache of the connection, in KiB (<c>PRAGMA cache_size</c>; set per connection, never stored in the file).</summary>
    internal long CacheSizeKib { get; init; } = SqliteSettings.DefaultPageCacheMebibytes * 1024L;

    private string CacheSizePragma => "PRAGMA cache_size = -" + CacheSizeKib.ToString(CultureInfo.InvariantCulture) + ";";

    /// <summary>How many times a unit of work is tried against concurrent writers before it is Aborted.</summary>
    internal int MaxAttempts { get; set; } = 10;

    /// <summary>Whether read units of work run on their own connections.</summary>
    internal bool HasReaderPool => _readerSlots is not null;

    internal SqliteConnection Connection => _connection ?? throw new InvalidOperationException("The backend is not open.");

    public async ValueTask OpenAsync(SchemaMode mode, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        var files = _isMemory ? null : SqliteFileSet.Capture(_dataSource);
        try
        {
            _connection ??= Connect(mode, files);
            _writer ??= new SqliteSession(_connection);

            var schema = new SqliteSchemaManager(this, _dataSource, _logger);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    if (!_isMemory)
                    {
                        // Per connection, not stored in the file.
                        ExecuteText("PRAGMA synchronous = NORMAL;");
                    }

                    // A negative size is in KiB. Per connection, so a read-only open stays free of writes.
                    ExecuteText(CacheSizePragma);
                    schema.Open(mode, cancellationToken);
                    break;
                }
                catch (SqliteException ex) when (IsBusy(ex) && attempt < MaxAttempts)
                {
                    var delay = BackoffMilliseconds(attempt);
                    Log.TransactionRetrying(_logger, attempt, MaxAttempts, delay);
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

    public async ValueTask<T> ExecuteAsync<T>(bool write, Func<IStorageTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        Enter();
        try
        {
            // Statements run synchronously: leave the caller's thread (and any synchronization context) first, so the
            // caller gets a pending task at once and its token can still cancel the work.
            await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
            try
            {
                return write || _readerSlots is null
                    ? await RunOnWriterAsync(write, work, linked.Token).ConfigureAwait(false)
                    : await RunOnReaderAsync(work, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_closing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw StoreDisposed.Exception();
            }
        }
        finally
        {
            Exit();
        }
    }

    public void Dispose()
    {
        if (BeginDispose())
        {
            // Units of work notice the cancellation at their next statement; waiting here is short.
            _drained.Task.GetAwaiter().GetResult();
            Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (BeginDispose())
        {
            await _drained.Task.ConfigureAwait(false);
            Close();
        }
    }

    private async ValueTask<T> RunOnWriterAsync<T>(bool write, Func<IStorageTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunAsync(_writer ?? throw new InvalidOperationException("The backend is not open."), write, work, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async ValueTask<T> RunOnReaderAsync<T>(Func<IStorageTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        var slots = _readerSlots!;
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        SqliteSession? session = null;
        try
        {
            session = TakeReader();
            return await RunAsync(session, write: false, work, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (session is not null)
            {
                lock (_idleReaders)
                {
                    _idleReaders.Push(session);
                }
            }

            slots.Release();
        }
    }

    private async ValueTask<T> RunAsync<T>(SqliteSession session, bool write, Func<IStorageTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SqliteTransaction? transaction = null;
            try
            {
                transaction = session.Connection.BeginTransaction(deferred: !write);
                var result = await work(new SqliteStorageTransaction(session, transaction), cancellationToken).ConfigureAwait(false);

                // Cancelled after the last statement is still cancelled: nothing commits once the token is set.
                cancellationToken.ThrowIfCancellationRequested();
                transaction.Commit();
                return result;
            }
            catch (Exception ex) when (ex is SqliteException sqlite && IsBusy(sqlite))
            {
                Rollback(transaction);
                if (attempt >= MaxAttempts)
                {
                    Log.TransactionAborted(_logger, attempt);
                    throw new MetadataStoreException(
                        MetadataErrorCode.Aborted,
                        $"The transaction gave up after {attempt} attempts against concurrent writers on the database; retry the request.",
                        ex);
                }

                var delay = BackoffMilliseconds(attempt);
                Log.TransactionRetrying(_logger, attempt, MaxAttempts, delay);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException ex)
            {
                Rollback(transaction);
                throw Translate(ex, _dataSource);
            }
            catch
            {
                Rollback(transaction);
                throw;
            }
            finally
            {
                transaction?.Dispose();
            }
        }
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
    private SqliteSession TakeReader()
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
            pragma.CommandText = CacheSizePragma;
            pragma.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw Translate(ex, _dataSource);
        }

        return new SqliteSession(connection);
    }

    private void Enter()
    {
        Interlocked.Increment(ref _active);
        if (Volatile.Read(ref _disposed) != 0)
        {
            Exit();
            throw StoreDisposed.Exception();
        }
    }

    private void Exit()
    {
        if (Interlocked.Decrement(ref _active) == 0)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Marks the backend disposed, cancels its units of work and drops the open reference; false when already disposed.</summary>
    private bool BeginDispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return false;
        }

        _closing.Cancel();
        Exit();
        return true;
    }

    /// <summary>Closes every connection; called once no unit of work runs or waits.</summary>
    private void Close()
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
        _closing.Dispose();
    }

    /// <summary>Whether the error is a lock conflict with another connection (SQLITE_BUSY or SQLITE_LOCKED).</summary>
    internal static bool IsBusy(SqliteException ex) => SqliteErrors.IsBusy(ex);

    /// <summary>Translates a provider error on the database <paramref name="dataSource"/>; see <see cref="SqliteErrors"/>.</summary>
    internal static MetadataStoreException Translate(SqliteException ex, string? dataSource = null) => SqliteErrors.Translate(ex, dataSource);

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
                Log.SchemaRefused(_logger, _dataSource, reason);
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

    private static int BackoffMilliseconds(int attempt)
    {
        // 10, 20, 40 ... ms capped at 1 s, with up to 50 % jitter so that competing writers spread out.
        var baseDelay = Math.Min(1000, 10 << Math.Min(attempt - 1, 10));
        return baseDelay + Random.Shared.Next(baseDelay / 2 + 1);
    }

    private static void Rollback(SqliteTransaction? transaction)
    {
        if (transaction?.Connection is null)
        {
            return;
        }

        try
        {
            transaction.Rollback();
        }
        catch (SqliteException)
        {
            // SQLite may already have rolled the transaction back (after a busy error or a full disk).
        }
        catch (InvalidOperationException)
        {
            // Already completed.
        }
    }
}
