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
    private readonly TypeCache _types = new();
    private int _disposed;

    public MetadataStoreEngine(IStorageBackend backend, ILogger logger)
    {
        _backend = backend;
        _logger = logger;
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
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await _backend.ExecuteAsync(write, work, cancellationToken).ConfigureAwait(false);
        }
        catch (MetadataStoreException ex)
        {
            Log.RequestFailed(_logger, operation, ex.ErrorCode, ex.Message);
            throw;
        }
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static void RequireNotNull<T>(T? value, string name)
        where T : class
    {
        if (value is null)
        {
            throw Errors.InvalidArgument($"{name} must not be null.");
        }
    }

    private static void RequireNoNullItems<T>(IReadOnlyCollection<T?> items, string name)
        where T : class
    {
        RequireNotNull(items, name);
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
