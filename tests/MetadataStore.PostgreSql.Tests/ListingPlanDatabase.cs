using System.Globalization;
using MetadataStore.Storage;
using Npgsql;

namespace MetadataStore.PostgreSql.Tests;

/// <summary>
/// A schema the backend created, filled with enough rows that PostgreSQL's planner makes the choices it makes in a
/// real store: 40,000 artifacts, 20,000 executions and 10,000 contexts with their properties, one context of 4,000
/// artifacts and 2,000 executions, every node in a small context too; then VACUUM ANALYZE. Values are spread so
/// that a filter of the plan tests matches a tenth of its table (thousands of rows, far more than a page) or most of
/// it, as filters do in practice.
/// </summary>
public sealed class ListingPlanDatabase : IAsyncLifetime
{
    /// <summary>Artifacts in the schema.</summary>
    public const int Artifacts = 40_000;

    /// <summary>Executions in the schema.</summary>
    public const int Executions = 20_000;

    /// <summary>Contexts in the schema.</summary>
    public const int Contexts = 10_000;

    /// <summary>How many nodes share a create time, and an update time: the nodes of one call are stamped together.</summary>
    public const int Batch = 100;

    private const long T0 = 1_700_000_000_000;

    private readonly Dictionary<(int Kind, string Name), long> _types = [];
    private PostgresServer _server = null!;

    /// <summary>The schema, created by opening a store on it.</summary>
    public string Schema { get; private set; } = string.Empty;

    /// <summary>The connection string the plans are read with.</summary>
    public string ConnectionString => _server.OwnerConnectionString;

    /// <summary>The dialect of the schema, as the backend builds it.</summary>
    internal PostgreSqlDialect Dialect { get; private set; } = null!;

    /// <summary>The context with thousands of members.</summary>
    public long BigContextId { get; private set; }

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.SharedAsync();
        Schema = _server.NewSchemaName();
        Dialect = new PostgreSqlDialect(Schema);
        await using (var store = await new MetadataStoreBuilder().UsePostgreSql(_server.OwnerConnectionString, Schema).OpenAsync())
        {
            // Opening creates MLMD's tables and this library's indexes.
        }

        await using var connection = new NpgsqlConnection(_server.OwnerConnectionString);
        await connection.OpenAsync();
        // The test server commits asynchronously; VACUUM marks pages all-visible only once the fill's commit is flushed.
        await ExecuteAsync(connection, "SET synchronous_commit = on");
        await ExecuteAsync(connection, Fill(PostgreSqlSchema.Quote(Schema)));
        foreach (var table in PostgreSqlSchema.Tables)
        {
            // VACUUM refuses to run in a transaction, so each table on its own.
            await ExecuteAsync(connection, $"VACUUM ANALYZE {PostgreSqlSchema.Quote(Schema)}.{PostgreSqlSchema.Quote(table)}");
        }

        await using (var command = new NpgsqlCommand($"SELECT type_kind, name, id FROM {PostgreSqlSchema.Quote(Schema)}.type", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                _types[(reader.GetInt16(0), reader.GetString(1))] = reader.GetInt64(2);
            }
        }

        await using (var command = new NpgsqlCommand($"SELECT id FROM {PostgreSqlSchema.Quote(Schema)}.context WHERE name = 'context-1'", connection))
        {
            BigContextId = (long)(await command.ExecuteScalarAsync())!;
        }
    }

    public async Task DisposeAsync()
    {
        if (Schema.Length > 0)
        {
            await _server.DropSchemasAsync([Schema]);
        }
    }

    /// <summary>The id of a type of the given kind, by name.</summary>
    public long TypeId(NodeKind kind, string name) => _types[(TypeKind(kind), name)];

    /// <summary>The ids of the types of the given kind with the given names, as the backend resolves a type filter.</summary>
    public IReadOnlyList<long> ResolveTypes(NodeKind kind, IReadOnlyList<string> names) =>
        [.. names.Where(n => _types.ContainsKey((TypeKind(kind), n))).Select(n => _types[(TypeKind(kind), n)]).Order()];

    /// <summary>A cursor in the middle of the listing: later pages start there.</summary>
    public static PageCursor MiddleCursor(NodeKind kind, NodeOrder order)
    {
        var count = kind switch { NodeKind.Artifact => Artifacts, NodeKind.Execution => Executions, _ => Contexts };
        var middle = count / 2;
        var value = order switch
        {
            NodeOrder.CreateTime => CreateTime(middle),
            NodeOrder.LastUpdateTime => UpdateTime(middle),
            _ => 0,
        };
        return new PageCursor(value, middle + 1);
    }

    private static long CreateTime(long g) => T0 + g / Batch * 1000;

    // Updates come an hour after the last creation, in batches that mix nodes of any age.
    private static long UpdateTime(long position) => T0 + 3_600_000 + position / Batch * 1000;

    private static int TypeKind(NodeKind kind) => kind switch { NodeKind.Execution => 0, NodeKind.Artifact => 1, _ => 2 };

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Node g of each table (from 0) has id g + 1. Types: Model 10 % of artifacts, Metrics 20 %, Dataset the rest;
    /// Trainer 10 % of executions; Experiment 10 % of contexts. States: 84 % LIVE / COMPLETE, 10 % DELETED / RUNNING.
    /// Nodes are created in batches of <see cref="Batch"/> and updated later in batches in no order of id.
    /// </summary>
    private static string Fill(string s)
    {
        string I(long value) => value.ToString(CultureInfo.InvariantCulture);
        string Times(string g, int count) => $"{I(CreateTime(0))} + ({g} / {I(Batch)}) * 1000, {I(UpdateTime(0))} + (({g} * 7919) % {I(count)}) / {I(Batch)} * 1000";
        return $"""
            INSERT INTO {s}.type (name, type_kind) VALUES
              ('Model', 1), ('Dataset', 1), ('Metrics', 1), ('Trainer', 0), ('Evaluator', 0), ('Experiment', 2), ('Pipeline', 2);

            INSERT INTO {s}.artifact (id, type_id, uri, state, name, external_id, create_time_since_epoch, last_update_time_since_epoch)
            SELECT g + 1,
                   CASE WHEN g % 10 = 0 THEN t.model WHEN g % 10 < 3 THEN t.metrics ELSE t.dataset END,
                   'file:///data/part-' || lpad(g::text, 6, '0') || '.parquet',
                   CASE WHEN g % 10 = 1 THEN 4 WHEN g % 50 = 2 THEN 1 WHEN g % 50 < 6 THEN 3 ELSE 2 END,
                   'artifact-' || g, 'a-' || g, {Times("g", Artifacts)}
            FROM generate_series(0, {I(Artifacts - 1)}) AS g,
                 (SELECT max(id) FILTER (WHERE name = 'Model') AS model, max(id) FILTER (WHERE name = 'Metrics') AS metrics,
                         max(id) FILTER (WHERE name = 'Dataset') AS dataset FROM {s}.type WHERE type_kind = 1) AS t;
            INSERT INTO {s}.artifactproperty (artifact_id, name, is_custom_property, int_value, double_value, string_value, bool_value)
            SELECT a.id, p.name, p.custom, p.i, p.d, p.s, p.b
            FROM {s}.artifact AS a CROSS JOIN LATERAL (VALUES
              ('shard', false, (a.id - 1) % 100, NULL::double precision, NULL::text, NULL::boolean),
              ('rows', false, 1000 + (a.id * 7) % 100000, NULL, NULL, NULL),
              ('score', true, NULL, ((a.id - 1) % 1000) / 1000.0::double precision, NULL, NULL),
              ('split', false, NULL, NULL, CASE WHEN a.id % 10 < 8 THEN 'train' WHEN a.id % 10 = 8 THEN 'eval' ELSE 'test' END, NULL),
              ('approved', true, NULL, NULL, NULL, a.id % 50 = 0)) AS p(name, custom, i, d, s, b);

            INSERT INTO {s}.execution (id, type_id, last_known_state, name, external_id, create_time_since_epoch, last_update_time_since_epoch)
            SELECT g + 1, CASE WHEN g % 10 = 0 THEN t.trainer ELSE t.evaluator END,
                   CASE WHEN g % 10 = 1 THEN 2 WHEN g % 50 = 2 THEN 1 WHEN g % 50 < 6 THEN 4 ELSE 3 END,
                   'run-' || g, 'e-' || g, {Times("g", Executions)}
            FROM generate_series(0, {I(Executions - 1)}) AS g,
                 (SELECT max(id) FILTER (WHERE name = 'Trainer') AS trainer, max(id) FILTER (WHERE name = 'Evaluator') AS evaluator
                  FROM {s}.type WHERE type_kind = 0) AS t;
            INSERT INTO {s}.executionproperty (execution_id, name, is_custom_property, int_value, double_value, string_value)
            SELECT e.id, p.name, false, p.i, p.d, p.s
            FROM {s}.execution AS e CROSS JOIN LATERAL (VALUES
              -- One in 20, so past the middle cursor several pages still match: a page the planner expects to
              -- hold every remaining match may be sorted, which is no test of an ordered scan.
              ('seed', (e.id - 1) % 20, NULL::double precision, NULL::text),
              ('epochs', 1 + e.id % 50, NULL, NULL),
              ('learning_rate', NULL, 0.001 * (1 + e.id % 20), NULL),
              ('optimizer', NULL, NULL, CASE e.id % 3 WHEN 0 THEN 'adam' WHEN 1 THEN 'sgd' ELSE 'lbfgs' END),
              ('host', NULL, NULL, 'worker-' || (e.id % 40))) AS p(name, i, d, s);

            INSERT INTO {s}.context (id, type_id, name, external_id, create_time_since_epoch, last_update_time_since_epoch)
            SELECT g + 1, CASE WHEN g % 10 = 0 THEN t.experiment ELSE t.pipeline END, 'context-' || g, 'c-' || g, {Times("g", Contexts)}
            FROM generate_series(0, {I(Contexts - 1)}) AS g,
                 (SELECT max(id) FILTER (WHERE name = 'Experiment') AS experiment, max(id) FILTER (WHERE name = 'Pipeline') AS pipeline
                  FROM {s}.type WHERE type_kind = 2) AS t;
            INSERT INTO {s}.contextproperty (context_id, name, is_custom_property, int_value, string_value)
            SELECT c.id, p.name, false, p.i, p.s
            FROM {s}.context AS c CROSS JOIN LATERAL (VALUES
              ('owner', NULL::bigint, CASE WHEN c.id % 10 = 0 THEN 'ali' ELSE 'team-' || (c.id % 7) END),
              ('priority', c.id % 5, NULL),
              ('purpose', NULL, 'nightly'),
              ('budget', c.id % 1000, NULL),
              ('region', NULL, CASE c.id % 2 WHEN 0 THEN 'eu' ELSE 'us' END)) AS p(name, i, s);

            -- context-1 (id 2) holds every tenth node; every node is in one small context as well.
            INSERT INTO {s}.attribution (context_id, artifact_id)
            SELECT 2, a.id FROM {s}.artifact AS a WHERE a.id % 10 = 3
            UNION ALL
            SELECT 3 + a.id % {I(Contexts - 2)}, a.id FROM {s}.artifact AS a;
            INSERT INTO {s}.association (context_id, execution_id)
            SELECT 2, e.id FROM {s}.execution AS e WHERE e.id % 10 = 3
            UNION ALL
            SELECT 3 + e.id % {I(Contexts - 2)}, e.id FROM {s}.execution AS e;

            SELECT setval(pg_get_serial_sequence('{s}.artifact', 'id'), {I(Artifacts)});
            SELECT setval(pg_get_serial_sequence('{s}.execution', 'id'), {I(Executions)});
            SELECT setval(pg_get_serial_sequence('{s}.context', 'id'), {I(Contexts)});
            """;
    }
}
