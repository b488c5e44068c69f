using MetadataStore.Storage;
using MetadataStore.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetadataStore.Tests.Storage;

/// <summary>A SQLite file in a temporary folder, with helpers to open the backend on it and to inspect it raw.</summary>
internal sealed class SqliteTestDatabase : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("metadatastore-storage-tests-").FullName;

    public SqliteTestDatabase()
    {
        Path = System.IO.Path.Combine(_folder, "store.db");
    }

    public string Path { get; }

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ConnectionString;

    public SqliteBackend CreateBackend(string? extra = null) =>
        new(ConnectionString + (extra is null ? string.Empty : ";" + extra), NullLogger.Instance);

    public async Task<SqliteBackend> OpenBackendAsync(SchemaMode mode = SchemaMode.CreateOrVerify)
    {
        var backend = CreateBackend();
        try
        {
            await backend.OpenAsync(mode, CancellationToken.None);
            return backend;
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }

    /// <summary>A plain connection, as another client of the file would have.</summary>
    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public void Execute(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public List<object?[]> Query(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A connection still open keeps its file; a leftover temporary folder is harmless.
        }
    }
}

/// <summary>Runs one unit of work on a backend.</summary>
internal static class BackendExtensions
{
    public static Task<T> ReadAsync<T>(this IStorageBackend backend, Func<IStorageTransaction, ValueTask<T>> work) =>
        backend.ExecuteAsync(false, (tx, _) => work(tx), CancellationToken.None).AsTask();

    public static Task<T> WriteAsync<T>(this IStorageBackend backend, Func<IStorageTransaction, ValueTask<T>> work) =>
        backend.ExecuteAsync(true, (tx, _) => work(tx), CancellationToken.None).AsTask();
}
