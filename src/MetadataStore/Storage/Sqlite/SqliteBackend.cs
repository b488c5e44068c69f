using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using MetadataStore.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace MetadataStore.Storage.Sqlite;

/// <summary>
/// The SQLite backend: MLMD's schema v10 in a file or in memory. It holds one connection for its whole life (an
/// in-memory database lives only as long as a connection to it) and serializes units of work on it with an async
/// lock; Microsoft.Data.Sqlite is synchronous inside, so statements run synchronously under that lock.
/// </summary>
internal sealed class SqliteBackend : IStorageBackend
{
    // Microsoft.Data.Sqlite waits this long on a locked database before reporting SQLITE_BUSY; our retry loop
    // then starts the whole unit of work again. Used unless the connection string sets its own timeout.
    private const int DefaultBusyTimeoutSeconds = 5;

    // Prepared statements: fixed SQL keyed by reference (catalogue strings are interned constants), IN-list
    // variants by (template, size), built SQL by text. A bounded number of built statements is kept.
    private const int MaxBuiltCommands = 256;

    private readonly string _connectionString;
    private readonly string _dataSource;
    private readonly bool _isMemory;
    private readonly bool _isReadOnly;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, SqliteCommand> _commands = new(ReferenceEqualityComparer.Instance as IEqualityComparer<string>);
    private readonly Dictionary<(string Template, int Size), SqliteCommand> _inCommands = new(new TemplateSizeComparer());
    private readonly Dictionary<string, SqliteCommand> _builtCommands = new(StringComparer.Ordinal);
    private SqliteConnection? _connection;
    private bool _disposed;

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

    /// <summary>How many times a unit of work is tried against concurrent writers before it is Aborted.</summary>
    internal int MaxAttempts { get; set; } = 10;

    internal SqliteConnection Connection => _connection ?? throw new InvalidOperationException("The backend is not open.");

    public async ValueTask OpenAsync(SchemaMode mode, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        var files = _isMemory ? null : SqliteFileSet.Capture(_dataSource);
        try
        {
            _connection ??= Connect(mode, files);
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
        }
        catch
        {
            // A refused open writes nothing: close without checkpointing, and remove only a file this open created
            // and left empty.
            _connection?.Dispose();
            _connection = null;
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
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = Connection;
            for (var attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                SqliteTransaction? transaction = null;
                try
                {
                    transaction = connection.BeginTransaction(deferred: !write);
                    var result = await work(new SqliteStorageTransaction(this, transaction), cancellationToken).ConfigureAwait(false);
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
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        foreach (var command in _inCommands.Values)
        {
            command.Dispose();
        }

        foreach (var command in _builtCommands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        _inCommands.Clear();
        _builtCommands.Clear();
        _connection?.Dispose();
        _connection = null;
        _lock.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Whether the error is a lock conflict with another connection (SQLITE_BUSY or SQLITE_LOCKED).</summary>
    internal static bool IsBusy(SqliteException ex) => SqliteErrors.IsBusy(ex);

    /// <summary>Translates a provider error on the database <paramref name="dataSource"/>; see <see cref="SqliteErrors"/>.</summary>
    internal static MetadataStoreException Translate(SqliteException ex, string? dataSource = null) => SqliteErrors.Translate(ex, dataSource);

    /// <summary>A statement of the catalogue, prepared once; its parameters are <c>$1</c> .. <c>$count</c>.</summary>
    internal SqliteCommand Command(string sql, int parameterCount)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = CreateCommand(sql);
            for (var i = 1; i <= parameterCount; i++)
            {
                command.Parameters.Add(new SqliteParameter("$" + i.ToString(CultureInfo.InvariantCulture), null));
            }

            _commands.Add(sql, command);
        }

        return command;
    }

    /// <summary>
    /// A statement whose <c>@@IN@@</c> marker is replaced by <paramref name="size"/> parameters <c>$i0</c>..;
    /// its fixed parameters are <c>$1</c> .. <c>$fixedCount</c> and come first.
    /// </summary>
    internal SqliteCommand InCommand(string template, int fixedCount, int size)
    {
        if (!_inCommands.TryGetValue((template, size), out var command))
        {
            var names = new string[size];
            for (var i = 0; i < size; i++)
            {
                names[i] = "$i" + i.ToString(CultureInfo.InvariantCulture);
            }

            command = CreateCommand(template.Replace("@@IN@@", string.Join(", ", names), StringComparison.Ordinal));
            for (var i = 1; i <= fixedCount; i++)
            {
                command.Parameters.Add(new SqliteParameter("$" + i.ToString(CultureInfo.InvariantCulture), null));
            }

            foreach (var name in names)
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            _inCommands.Add((template, size), command);
        }

        return command;
    }

    /// <summary>A statement built by a <see cref="SqlBuilder"/>, with its values bound.</summary>
    internal SqliteCommand BuiltCommand(SqlBuilder builder, out bool cached)
    {
        var sql = builder.Build();
        var values = builder.Values;
        cached = _builtCommands.TryGetValue(sql, out var command);
        if (!cached)
        {
            command = CreateCommand(sql);
            for (var i = 0; i < values.Count; i++)
            {
                command.Parameters.Add(new SqliteParameter(SqlBuilder.ParameterName(i), null));
            }

            if (_builtCommands.Count < MaxBuiltCommands)
            {
                _builtCommands.Add(sql, command);
                cached = true;
            }
        }

        for (var i = 0; i < values.Count; i++)
        {
            command!.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command!;
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

    private SqliteCommand CreateCommand(string sql)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private sealed class TemplateSizeComparer : IEqualityComparer<(string Template, int Size)>
    {
        public bool Equals((string Template, int Size) x, (string Template, int Size) y) =>
            ReferenceEquals(x.Template, y.Template) && x.Size == y.Size;

        public int GetHashCode((string Template, int Size) obj) => HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Template), obj.Size);
    }
}
