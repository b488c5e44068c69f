using Microsoft.Extensions.Logging;

namespace MetadataStore.Storage.Sqlite;

/// <summary>The SQLite backend: MLMD's schema v10 in a file or in memory. (Skeleton; implemented next.)</summary>
internal sealed class SqliteBackend : IStorageBackend
{
    public SqliteBackend(string connectionString, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(logger);
    }

    public ValueTask OpenAsync(SchemaMode mode, CancellationToken cancellationToken) => throw new NotImplementedException();

    public ValueTask<T> ExecuteAsync<T>(bool write, Func<IStorageTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken) => throw new NotImplementedException();

    public void Dispose()
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
