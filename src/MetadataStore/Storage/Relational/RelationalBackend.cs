using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using MetadataStore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MetadataStore.Storage.Relational;

/// <summary>
/// The relational engine: a storage backend for any SQL database that a <see cref="SqlDialect"/> describes. It runs
/// each unit of work in one transaction on a session (a connection with its prepared statements), retries it from the
/// start with bounded backoff when the dialect classifies a failure as a conflict, rolls back on any failure, and
/// reports provider errors as <see cref="MetadataStoreException"/>s. A database plugs in by deriving from this class:
/// it opens connections (and may keep or pool them) and creates or verifies the schema; all SQL comes from the dialect.
/// </summary>
/// <remarks>
/// Units of work run off the caller's thread: <see cref="ExecuteAsync{T}"/> yields before the first statement, and
/// statements then run synchronously on the session. Disposal cancels queued and running units of work, waits until
/// they have rolled back, then calls <see cref="Close"/>.
/// </remarks>
[Experimental(Experiments.StorageSpi)]
public abstract class RelationalBackend : IStorageBackend
{
    // Cancelled by disposal: queued and running units of work stop at their next check and roll back.
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // One reference for the open backend plus one per call inside ExecuteAsync; disposal drops the first and waits for zero.
    private int _active = 1;
    private int _disposed;

    /// <summary>Creates the backend.</summary>
    /// <param name="dialect">The database's dialect.</param>
    /// <param name="logger">Where retries and give-ups are logged.</param>
    protected RelationalBackend(SqlDialect dialect, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(logger);
        Dialect = dialect;
        Logger = logger;
        MaxAttempts = dialect.MaxAttempts;
    }

    /// <summary>The database's dialect.</summary>
    public SqlDialect Dialect { get; }

    /// <inheritdoc/>
    public abstract string Description { get; }

    /// <summary>How many times a unit of work is tried against conflicts before it fails as Aborted.</summary>
    public int MaxAttempts { get; set; }

    /// <summary>The logger.</summary>
    protected ILogger Logger { get; }

    /// <summary>Whether disposal has begun.</summary>
    protected bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <inheritdoc/>
    public abstract ValueTask OpenAsync(SchemaMode mode, CancellationToken cancellationToken);

    /// <inheritdoc/>
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
                var session = await AcquireSessionAsync(write, linked.Token).ConfigureAwait(false);
                try
                {
                    return await RunAsync(session, write, work, linked.Token).ConfigureAwait(false);
                }
                finally
                {
                    ReleaseSession(session, write);
                }
            }
            catch (OperationCanceledException) when (_closing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw StoreDisposed.Exception();
            }
            catch (DbException ex)
            {
                // Opening a connection failed.
                throw Translate(ex);
            }
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Disposes the backend: cancels its units of work, waits for them, then closes.</summary>
    public void Dispose()
    {
        if (BeginDispose())
        {
            // Units of work notice the cancellation at their next statement; waiting here is short.
            _drained.Task.GetAwaiter().GetResult();
            Close();
            _closing.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the backend: cancels its units of work, waits for them, then closes.</summary>
    /// <returns>A task that completes when the backend is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (BeginDispose())
        {
            await _drained.Task.ConfigureAwait(false);
            Close();
            _closing.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Gives the session a unit of work runs on. A writing unit of work must be isolated from concurrent writers by
    /// the transaction <see cref="SqlDialect.BeginTransaction"/> starts, or by the session itself (SQLite's one writer).
    /// </summary>
    /// <param name="write">Whether the unit of work writes.</param>
    /// <param name="cancellationToken">Cancels waiting for a session.</param>
    /// <returns>An open session, used by this unit of work alone until <see cref="ReleaseSession"/>.</returns>
    protected abstract ValueTask<RelationalSession> AcquireSessionAsync(bool write, CancellationToken cancellationToken);

    /// <summary>Takes back a session after its unit of work has committed or rolled back.</summary>
    /// <param name="session">The session.</param>
    /// <param name="write">Whether the unit of work wrote.</param>
    protected abstract void ReleaseSession(RelationalSession session, bool write);

    /// <summary>Closes every connection; called once, when no unit of work runs or waits any more.</summary>
    protected abstract void Close();

    /// <summary>Reports a provider error as the dialect classifies it.</summary>
    /// <param name="exception">The provider's exception.</param>
    /// <returns>The exception to throw.</returns>
    protected MetadataStoreException Translate(DbException exception)
    {
        var error = Dialect.Classify(exception);
        return new MetadataStoreException(error.ErrorCode, error.Message, exception) { IsTransient = error.IsTransient || error.Kind == StorageErrorKind.Conflict };
    }

    private async ValueTask<T> RunAsync<T>(RelationalSession session, bool write, Func<IStorageTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DbTransaction? transaction = null;
            try
            {
                transaction = Dialect.BeginTransaction(session.Connection, write);
                var storage = new RelationalTransaction(session, transaction, Description, write);
                storage.Begin();
                var result = await work(storage, cancellationToken).ConfigureAwait(false);

                // Cancelled after the last statement is still cancelled: nothing commits once the token is set.
                cancellationToken.ThrowIfCancellationRequested();
                if (!storage.Complete())
                {
                    transaction.Commit();
                }

                return result;
            }
            catch (Exception ex) when (Conflict(ex) is { } conflict)
            {
                Rollback(transaction);
                if (attempt >= MaxAttempts)
                {
                    Log.TransactionAborted(Logger, attempt);
                    throw new MetadataStoreException(
                        MetadataErrorCode.Aborted,
                        $"The transaction gave up after {attempt} attempts against concurrent writers on {Description}; retry the request.",
                        conflict);
                }

                var delay = (int)Dialect.RetryDelay(attempt).TotalMilliseconds;
                Log.TransactionRetrying(Logger, attempt, MaxAttempts, delay);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (DbException ex)
            {
                Rollback(transaction);
                throw Translate(ex);
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

    /// <summary>The provider exception of a conflict with a concurrent transaction, or null.</summary>
    private DbException? Conflict(Exception exception)
    {
        // A constraint exception wraps the provider's; a conflict surfaces as the provider's own.
        var provider = exception as DbException;
        return provider is not null && Dialect.Classify(provider).Kind == StorageErrorKind.Conflict ? provider : null;
    }

    private static void Rollback(DbTransaction? transaction)
    {
        try
        {
            if (transaction?.Connection is null)
            {
                return;
            }

            transaction.Rollback();
        }
        catch (DbException)
        {
            // The database may already have rolled the transaction back (after a conflict or a lost connection).
        }
        catch (InvalidOperationException)
        {
            // Already completed, or disposed by the provider with its broken connection (ObjectDisposedException,
            // even from the Connection property): the error that led here is the one to report.
        }
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
}
