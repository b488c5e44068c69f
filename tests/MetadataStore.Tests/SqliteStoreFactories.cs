using System.Reflection;
using MetadataStore.Conformance;
using Microsoft.Data.Sqlite;

namespace MetadataStore.Tests;

/// <summary>A private in-memory SQLite database per store; it lives while a store on it is open.</summary>
public sealed class InMemorySqliteFactory : IStoreFactory
{
    private readonly Dictionary<IMetadataStore, string> _connectionStrings = new(ReferenceEqualityComparer.Instance);

    public string Name => "sqlite-memory";

    public async Task<IMetadataStore> OpenEmptyAsync(TimeProvider? clock = null)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = "metadatastore-" + Guid.NewGuid().ToString("N"), Mode = SqliteOpenMode.Memory, Cache = SqliteCacheMode.Shared,
        }.ConnectionString;
        var store = await OpenAsync(connectionString, clock);
        lock (_connectionStrings)
        {
            _connectionStrings[store] = connectionString;
        }

        return store;
    }

    public Task<IMetadataStore> OpenSameAsync(IMetadataStore first, TimeProvider? clock = null)
    {
        lock (_connectionStrings)
        {
            return OpenAsync(_connectionStrings[first], clock);
        }
    }

    // Another process cannot see this process's memory.
    public WorkerCommand? WorkerFor(IMetadataStore first) => null;

    public void Dispose()
    {
    }

    private static Task<IMetadataStore> OpenAsync(string connectionString, TimeProvider? clock) =>
        new MetadataStoreBuilder().UseSqlite(connectionString).UseTimeProvider(clock ?? TimeProvider.System).OpenAsync();
}

/// <summary>A new SQLite file per store, in a temporary folder of this factory's, removed when the factory is disposed.</summary>
public sealed class FileSqliteFactory : IStoreFactory
{
    private readonly Lazy<string> _folder = new(() => Directory.CreateTempSubdirectory("metadatastore-tests-").FullName);
    private readonly Dictionary<IMetadataStore, string> _paths = new(ReferenceEqualityComparer.Instance);

    public string Name => "sqlite-file";

    public async Task<IMetadataStore> OpenEmptyAsync(TimeProvider? clock = null)
    {
        var path = Path.Combine(_folder.Value, Guid.NewGuid().ToString("N") + ".db");
        var store = await OpenAsync(path, clock);
        lock (_paths)
        {
            _paths[store] = path;
        }

        return store;
    }

    public Task<IMetadataStore> OpenSameAsync(IMetadataStore first, TimeProvider? clock = null)
    {
        lock (_paths)
        {
            return OpenAsync(_paths[first], clock);
        }
    }

    public WorkerCommand? WorkerFor(IMetadataStore first)
    {
        lock (_paths)
        {
            return WorkerCommand.ForAssembly(WorkerAssemblyPath(), "sqlite-file", _paths[first]);
        }
    }

    public void Dispose()
    {
        if (_folder.IsValueCreated)
        {
            try
            {
                Directory.Delete(_folder.Value, recursive: true);
            }
            catch (IOException)
            {
                // A store still open elsewhere keeps its file; a leftover temporary folder is harmless.
            }
        }
    }

    private static Task<IMetadataStore> OpenAsync(string path, TimeProvider? clock) =>
        new MetadataStoreBuilder().UseSqliteFile(path).UseTimeProvider(clock ?? TimeProvider.System).OpenAsync();

    // The worker built with this project (see the csproj), so the test starts exactly that build.
    private static string WorkerAssemblyPath()
    {
        var path = typeof(FileSqliteFactory).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "ConcurrencyWorkerPath")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException($"The concurrency worker was not built where the test project recorded it: '{path}'.");
        }

        return path;
    }
}
