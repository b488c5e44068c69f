using System.Reflection;
using MetadataStore.Conformance;

namespace MetadataStore.PostgreSql.Tests;

/// <summary>
/// A new schema per store on the test server, opened by the owner role (which creates its tables); the schemas are
/// dropped when the factory is disposed.
/// </summary>
public sealed class PostgreSqlStoreFactory : IStoreFactory
{
    private readonly Dictionary<IMetadataStore, string> _schemas = new(ReferenceEqualityComparer.Instance);

    public string Name => "postgresql";

    public async Task<IMetadataStore> OpenEmptyAsync(TimeProvider? clock = null)
    {
        var server = await PostgresServer.SharedAsync();
        var schema = server.NewSchemaName();
        var store = await OpenAsync(server, schema, clock);
        lock (_schemas)
        {
            _schemas[store] = schema;
        }

        return store;
    }

    public async Task<IMetadataStore> OpenSameAsync(IMetadataStore first, TimeProvider? clock = null)
    {
        var server = await PostgresServer.SharedAsync();
        return await OpenAsync(server, SchemaOf(first), clock);
    }

    public WorkerCommand? WorkerFor(IMetadataStore first)
    {
        var server = PostgresServer.SharedAsync().GetAwaiter().GetResult();
        return WorkerCommand.ForAssembly(WorkerAssemblyPath(), "postgresql", server.OwnerConnectionString, SchemaOf(first));
    }

    public void Dispose()
    {
        string[] schemas;
        lock (_schemas)
        {
            schemas = [.. _schemas.Values.Distinct()];
            _schemas.Clear();
        }

        if (schemas.Length > 0)
        {
            var server = PostgresServer.SharedAsync().GetAwaiter().GetResult();
            server.DropSchemasAsync(schemas).GetAwaiter().GetResult();
        }
    }

    private string SchemaOf(IMetadataStore store)
    {
        lock (_schemas)
        {
            return _schemas[store];
        }
    }

    private static Task<IMetadataStore> OpenAsync(PostgresServer server, string schema, TimeProvider? clock) =>
        new MetadataStoreBuilder().UsePostgreSql(server.OwnerConnectionString, schema).UseTimeProvider(clock ?? TimeProvider.System).OpenAsync();

    // The worker built with this project (see the csproj), so the test starts exactly that build.
    private static string WorkerAssemblyPath()
    {
        var path = typeof(PostgreSqlStoreFactory).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "ConcurrencyWorkerPath")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException($"The concurrency worker was not built where the test project recorded it: '{path}'.");
        }

        return path;
    }
}
