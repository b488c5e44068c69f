using MetadataStore.Diagnostics;
using MetadataStore.Storage;
using Microsoft.Extensions.Logging;

namespace MetadataStore.Semantics;

/// <summary>
/// The semantics layer: MLMD's rules, written once for every backend, on top of the storage SPI.
/// Every public call is one storage transaction.
/// </summary>
internal sealed partial class MetadataStoreEngine : IMetadataStore
{
    private readonly IStorageBackend _backend;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TypeCache _types = new();
    private int _disposed;

    public MetadataStoreEngine(IStorageBackend backend, ILogger logger, TimeProvider? time = null)
    {
        _backend = backend;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _backend.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _backend.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task<T> ReadAsync<T>(string operation, Func<IStorageTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken) =>
        RunAsync(operation, write: false, work, cancellationToken);

    private Task<T> WriteAsync<T>(string operation, Func<IStorageTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken) =>
        RunAsync(operation, write: true, work, cancellationToken);

    /// <summary>A write that puts nodes: each attempt gets a fresh <see cref="NodeWriter"/>; the committed one feeds the type cache.</summary>
    private async Task<T> WriteNodesAsync<T>(string operation, Func<NodeWriter, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        NodeWriter? writer = null;
        var result = await RunAsync(operation, write: true, (tx, ct) =>
        {
            writer = new NodeWriter(tx, Now(), _types);
            return work(writer, ct);
        }, cancellationToken).ConfigureAwait(false);
        writer?.PublishTypes();
        return result;
    }

    private async Task<T> RunAsync<T>(string operation, bool write, Func<IStorageTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw StoreDisposed.Exception();
        }

        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await _backend.ExecuteAsync(write, work, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConstraintException ex) when (ex.Table == "Event" && ex.Record is { } record)
        {
            var exists = EventExists(record, ex);
            Log.RequestFailed(_logger, operation, exists.ErrorCode, exists.Message);
            throw exists;
        }
        catch (MetadataStoreException ex)
        {
            Log.RequestFailed(_logger, operation, ex.ErrorCode, ex.Message);
            throw;
        }
    }

    /// <summary>The store's clock (create, update and event times), in MLMD's milliseconds since the Unix epoch.</summary>
    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Runs a call's argument checks and starts its work so that a bad value reaches the caller through the
    /// returned task, logged once like a failure in storage. Null arguments are checked before, and thrown at once.
    /// </summary>
    private Task<T> Guarded<T>(string operation, Func<Task<T>> start)
    {
        try
        {
            return start();
        }
        catch (MetadataStoreException ex)
        {
            Log.RequestFailed(_logger, operation, ex.ErrorCode, ex.Message);
            return Task.FromException<T>(ex);
        }
    }

    private Task Guarded(string operation, Func<Task> start)
    {
        try
        {
            return start();
        }
        catch (MetadataStoreException ex)
        {
            Log.RequestFailed(_logger, operation, ex.ErrorCode, ex.Message);
            return Task.FromException(ex);
        }
    }

    /// <summary>Logs a failure found above the engine (by an extension method) once, as the engine logs its own.</summary>
    internal void ReportFailure(string operation, MetadataStoreException ex) => Log.RequestFailed(_logger, operation, ex.ErrorCode, ex.Message);

    private static void RequireNoNullItems<T>(IEnumerable<T?> items, string name)
        where T : class
    {
        foreach (var item in items)
        {
            if (item is null)
            {
                throw Errors.InvalidArgument($"{name} must not contain null.");
            }
        }
    }

    private static void RequireExternalIds(IReadOnlyCollection<string> externalIds)
    {
        RequireNoNullItems(externalIds, "externalIds");
        TextChecks.Lookup(externalIds, "An external id to look up");
        foreach (var id in externalIds)
        {
            if (id.Length == 0)
            {
                throw Errors.InvalidArgument("An external id to look up must not be empty.");
            }
        }
    }
}
