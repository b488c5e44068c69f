using System.Text;

namespace MetadataStore.PostgreSql;

/// <summary>
/// MLMD's PostgreSQL layout at schema version 10 in a schema of the caller's choice, plus this library's compatible
/// <c>mds_</c> extras. MLMD names its tables unquoted, so PostgreSQL folds them to lower case: <c>Type</c> is
/// <c>type</c> here, and MLMD's own clients find the tables under the same names.
/// </summary>
/// <remarks>
/// Event-path order: SQLite keeps the steps of a path in rowid order; PostgreSQL has no stable row order (an update,
/// <c>VACUUM FULL</c> or <c>CLUSTER</c> moves rows, and free space is reused out of insertion order). MLMD's
/// <c>eventpath</c> table has no column to order by and must not gain one, so a path of two or more steps is also
/// written to <c>mds_event_path</c> with each step's position. A reader takes an event's steps from there when it has
/// rows there, else from <c>eventpath</c> (a one-step path, or a path MLMD wrote, which MLMD itself reads in no
/// particular order either).
/// </remarks>
internal static class PostgreSqlSchema
{
    /// <summary>The MLMD schema version this library reads and writes.</summary>
    public const int Version = 10;

    /// <summary>The prefix of every object this library adds beside MLMD's.</summary>
    public const string ExtraPrefix = "mds_";

    /// <summary>The longest identifier PostgreSQL keeps (NAMEDATALEN - 1 bytes); longer ones are silently truncated.</summary>
    public const int MaxIdentifierBytes = 63;

    /// <summary>The table that keeps the step order of multi-step event paths.</summary>
    public const string EventPathOrderTable = "mds_event_path";

    /// <summary>MLMD's fifteen tables, by their PostgreSQL (lower-case) names.</summary>
    public static readonly string[] Tables =
    [
        "type", "typeproperty", "parenttype",
        "artifact", "artifactproperty", "execution", "executionproperty", "context", "contextproperty",
        "event", "eventpath", "parentcontext", "association", "attribution", "mlmdenv",
    ];

    /// <summary>MLMD's system types (name, type_kind), which it hides from type listings and upserts on every connection.</summary>
    public static readonly (string Name, int Kind)[] SystemTypes =
    [
        ("mlmd.Dataset", 1), ("mlmd.Model", 1), ("mlmd.Metrics", 1), ("mlmd.Statistics", 1),
        ("mlmd.Train", 0), ("mlmd.Transform", 0), ("mlmd.Process", 0), ("mlmd.Evaluate", 0), ("mlmd.Deploy", 0),
    ];

    /// <summary>MLMD's 24 named secondary indexes: (name, table, columns, predicate).</summary>
    public static readonly (string Name, string Table, string Columns, string? Where)[] MlmdIndexes =
    [
        ("idx_artifact_uri", "artifact", Prefix("uri"), null),
        ("idx_artifact_create_time_since_epoch", "artifact", "\"create_time_since_epoch\"", null),
        ("idx_artifact_last_update_time_since_epoch", "artifact", "\"last_update_time_since_epoch\"", null),
        ("idx_event_execution_id", "event", "\"execution_id\"", null),
        ("idx_parentcontext_parent_context_id", "parentcontext", "\"parent_context_id\"", null),
        ("idx_type_name", "type", "\"name\"", null),
        ("idx_execution_create_time_since_epoch", "execution", "\"create_time_since_epoch\"", null),
        ("idx_execution_last_update_time_since_epoch", "execution", "\"last_update_time_since_epoch\"", null),
        ("idx_context_create_time_since_epoch", "context", "\"create_time_since_epoch\"", null),
        ("idx_context_last_update_time_since_epoch", "context", "\"last_update_time_since_epoch\"", null),
        ("idx_eventpath_event_id", "eventpath", "\"event_id\"", null),
        .. PropertyValueIndexes("artifact"),
        .. PropertyValueIndexes("execution"),
        .. PropertyValueIndexes("context"),
        ("idx_type_external_id", "type", "\"external_id\"", null),
        ("idx_artifact_external_id", "artifact", "\"external_id\"", null),
        ("idx_execution_external_id", "execution", "\"external_id\"", null),
        ("idx_context_external_id", "context", "\"external_id\"", null),
    ];

    /// <summary>
    /// The indexes this library adds, equivalent to the SQLite backend's: reverse lookups MLMD lacks, a type's (or a
    /// state's) nodes in id or time order, and property values with their owner id. SQLite appends the rowid to every
    /// index entry; a PostgreSQL b-tree does not, so each index names <c>id</c> (or the owner id) as its last column
    /// and a keyset page reads in index order and stops. For the same reason each node table has (time, id) indexes
    /// beside MLMD's time-only ones: a page by time breaks ties by id, which MLMD's indexes leave to a sort.
    /// </summary>
    public static readonly (string Name, string Table, string Columns, string? Where)[] ExtraIndexes = BuildExtraIndexes();

    /// <summary>
    /// Extended statistics (a most-common-values list) on each property table's (name, is_custom_property, value), one
    /// per value column: (name, table, columns). Without them the planner multiplies the selectivity of the name by
    /// that of the value across all properties (and has none for the text prefix), expects a few dozen matches where
    /// there are thousands, and sorts every match instead of reading a page in index order. The text one is on
    /// <c>left(string_value, 255)</c>, the form the index and the filters use; statistics on an expression need
    /// PostgreSQL 14 (see <see cref="Supports"/>). ANALYZE (autovacuum's, in production) fills them.
    /// </summary>
    public static readonly (string Name, string Table, string Columns)[] ExtraStatistics =
    [
        .. new[] { "artifact", "execution", "context" }.SelectMany(kind => new[] { "int", "double", "string", "bool" }.Select(value => (
            $"mds_{kind}_property_{value}_stats",
            kind + "property",
            $"\"name\", \"is_custom_property\", {ValueKey(value)}"))),
    ];

    /// <summary>
    /// Whether a server of the given major version can create the statistics object: one on an expression needs 14
    /// (an older server, or an engine reporting an older version, goes without it rather than failing to open).
    /// </summary>
    public static bool Supports((string Name, string Table, string Columns) statistics, int serverMajorVersion) =>
        serverMajorVersion >= 14 || !statistics.Columns.Contains('(', StringComparison.Ordinal);

    /// <summary>The unique index that makes concurrent first registrations of one type collide instead of duplicating it.</summary>
    public const string TypeUniqueIndex = "mds_type_kind_name_version";

    /// <summary>
    /// How many leading characters of a text column its index holds. A b-tree entry must fit in a third of a page
    /// (about 2,700 bytes), so an index on a whole text column would refuse a long URI or string property; 255
    /// characters are at most 1,020 bytes. A lookup compares <c>left(column, 255)</c> to use the index, then the column.
    /// </summary>
    public const int TextKeyLength = 255;

    /// <summary>The indexed form of a text column: its first <see cref="TextKeyLength"/> characters.</summary>
    public static string Prefix(string column) => $"left({Quote(column)}, {TextKeyLength})";

    /// <summary>
    /// The key of the advisory lock that serializes the writers of one schema: a 64-bit FNV-1a hash of the schema
    /// name, the same in every process (advisory locks are per database, so one key per schema name suffices).
    /// </summary>
    public static long WriteLockKey(string schema)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes("metadatastore.write:" + schema))
        {
            hash = unchecked((hash ^ b) * 1099511628211UL);
        }

        return unchecked((long)hash);
    }

    /// <summary>Quotes an identifier for PostgreSQL.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>What is wrong with <paramref name="schema"/> as a schema name, or null when it can be used.</summary>
    public static string? CheckSchemaName(string? schema)
    {
        if (string.IsNullOrWhiteSpace(schema))
        {
            return "the schema name is empty";
        }

        if (schema.Contains('\0', StringComparison.Ordinal))
        {
            return "the schema name contains a NUL character";
        }

        var bytes = Encoding.UTF8.GetByteCount(schema);
        if (bytes > MaxIdentifierBytes)
        {
            return $"the schema name is {bytes} bytes long; PostgreSQL keeps at most {MaxIdentifierBytes}";
        }

        if (schema.StartsWith("pg_", StringComparison.OrdinalIgnoreCase))
        {
            return "schema names starting with pg_ are reserved by PostgreSQL";
        }

        return null;
    }

    /// <summary>
    /// Creates a missing schema. Run only when the schema is missing: PostgreSQL checks the CREATE privilege on the
    /// database before <c>IF NOT EXISTS</c>, and an owner given a schema by an administrator may lack that privilege.
    /// </summary>
    public static string CreateSchema(string schema) => $"CREATE SCHEMA IF NOT EXISTS {Quote(schema)};";

    /// <summary>
    /// Creates, in an existing schema, MLMD's tables, their indexes, ours, our statistics (those a server of
    /// <paramref name="serverMajorVersion"/> supports), the version row and the system types.
    /// </summary>
    public static string Create(string schema, int serverMajorVersion)
    {
        var sql = new StringBuilder();
        sql.Append(CreateTables(schema));
        sql.Append(CreateEventPathOrderTable(schema)).Append('\n');
        foreach (var index in MlmdIndexes.Concat(ExtraIndexes))
        {
            sql.Append(CreateIndex(schema, index)).Append('\n');
        }

        foreach (var statistics in ExtraStatistics.Where(s => Supports(s, serverMajorVersion)))
        {
            sql.Append(CreateStatistics(schema, statistics)).Append('\n');
        }

        sql.Append(CreateTypeUniqueIndex(schema)).Append('\n');
        sql.Append(InsertVersion(schema)).Append('\n');
        sql.Append(UpsertSystemTypes(schema)).Append('\n');
        return sql.ToString();
    }

    /// <summary>The tables, in MLMD's column order, with PostgreSQL's natural types.</summary>
    public static string CreateTables(string schema)
    {
        var s = Quote(schema);
        return $$"""
            CREATE TABLE {{s}}."type" (
              "id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
              "name" VARCHAR(255) NOT NULL,
              "version" VARCHAR(255),
              "type_kind" SMALLINT NOT NULL,
              "description" TEXT,
              "input_type" TEXT,
              "output_type" TEXT,
              "external_id" VARCHAR(255) UNIQUE
            );
            CREATE TABLE {{s}}."typeproperty" (
              "type_id" BIGINT NOT NULL,
              "name" VARCHAR(255) NOT NULL,
              "data_type" INTEGER,
              PRIMARY KEY ("type_id", "name")
            );
            CREATE TABLE {{s}}."parenttype" (
              "type_id" BIGINT NOT NULL,
              "parent_type_id" BIGINT NOT NULL,
              PRIMARY KEY ("type_id", "parent_type_id")
            );
            CREATE TABLE {{s}}."artifact" (
              "id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
              "type_id" BIGINT NOT NULL,
              "uri" TEXT,
              "state" INTEGER,
              "name" VARCHAR(255),
              "external_id" VARCHAR(255) UNIQUE,
              "create_time_since_epoch" BIGINT NOT NULL DEFAULT 0,
              "last_update_time_since_epoch" BIGINT NOT NULL DEFAULT 0,
              UNIQUE ("type_id", "name")
            );
            {{PropertyTable(s, "artifactproperty", "artifact_id")}}
            CREATE TABLE {{s}}."execution" (
              "id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
              "type_id" BIGINT NOT NULL,
              "last_known_state" INTEGER,
              "name" VARCHAR(255),
              "external_id" VARCHAR(255) UNIQUE,
              "create_time_since_epoch" BIGINT NOT NULL DEFAULT 0,
              "last_update_time_since_epoch" BIGINT NOT NULL DEFAULT 0,
              UNIQUE ("type_id", "name")
            );
            {{PropertyTable(s, "executionproperty", "execution_id")}}
            CREATE TABLE {{s}}."context" (
              "id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
              "type_id" BIGINT NOT NULL,
              "name" VARCHAR(255) NOT NULL,
              "external_id" VARCHAR(255) UNIQUE,
              "create_time_since_epoch" BIGINT NOT NULL DEFAULT 0,
              "last_update_time_since_epoch" BIGINT NOT NULL DEFAULT 0,
              UNIQUE ("type_id", "name")
            );
            {{PropertyTable(s, "contextproperty", "context_id")}}
            CREATE TABLE {{s}}."event" (
              "id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
              "artifact_id" BIGINT NOT NULL,
              "execution_id" BIGINT NOT NULL,
              "type" INTEGER NOT NULL,
              "milliseconds_since_epoch" BIGINT,
              UNIQUE ("artifact_id", "execution_id", "type")
            );
            CREATE TABLE {{s}}."eventpath" (
              "event_id" BIGINT NOT NULL,
              "is_index_step" BOOLEAN NOT NULL,
              "step_index" BIGINT,
              "step_key" TEXT
            );
            CREATE TABLE {{s}}."parentcontext" (
              "context_id" BIGINT NOT NULL,
              "parent_context_id" BIGINT NOT NULL,
              PRIMARY KEY ("context_id", "parent_context_id")
            );
            CREATE TABLE {{s}}."association" (
              "id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
              "context_id" BIGINT NOT NULL,
              "execution_id" BIGINT NOT NULL,
              UNIQUE ("context_id", "execution_id")
            );
            CREATE TABLE {{s}}."attribution" (
              "id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
              "context_id" BIGINT NOT NULL,
              "artifact_id" BIGINT NOT NULL,
              UNIQUE ("context_id", "artifact_id")
            );
            CREATE TABLE {{s}}."mlmdenv" (
              "schema_version" INTEGER PRIMARY KEY
            );

            """;
    }

    /// <summary>The table that keeps the step order of multi-step event paths, when missing.</summary>
    public static string CreateEventPathOrderTable(string schema) => $$"""
        CREATE TABLE IF NOT EXISTS {{Quote(schema)}}."{{EventPathOrderTable}}" (
          "event_id" BIGINT NOT NULL,
          "position" INTEGER NOT NULL,
          "is_index_step" BOOLEAN NOT NULL,
          "step_index" BIGINT,
          "step_key" TEXT,
          PRIMARY KEY ("event_id", "position")
        );
        """;

    /// <summary>Creates one index when it is missing.</summary>
    public static string CreateIndex(string schema, (string Name, string Table, string Columns, string? Where) index) =>
        $"CREATE INDEX IF NOT EXISTS {Quote(index.Name)} ON {Quote(schema)}.{Quote(index.Table)} ({index.Columns})"
        + (index.Where is null ? ";" : $" WHERE {index.Where};");

    /// <summary>Creates one statistics object when it is missing.</summary>
    public static string CreateStatistics(string schema, (string Name, string Table, string Columns) statistics) =>
        $"CREATE STATISTICS IF NOT EXISTS {Quote(schema)}.{Quote(statistics.Name)} (mcv) ON {statistics.Columns} FROM {Quote(schema)}.{Quote(statistics.Table)};";

    /// <summary>
    /// Makes concurrent first registrations of one type collide instead of duplicating it; kept apart because a schema
    /// MLMD wrote may already hold duplicates, which MLMD only prevents in code.
    /// </summary>
    public static string CreateTypeUniqueIndex(string schema) =>
        $"""CREATE UNIQUE INDEX IF NOT EXISTS "{TypeUniqueIndex}" ON {Quote(schema)}."type" ("type_kind", "name", COALESCE("version", ''));""";

    /// <summary>The schema version row of a new schema.</summary>
    public static string InsertVersion(string schema) =>
        $"""INSERT INTO {Quote(schema)}."mlmdenv" ("schema_version") VALUES ({Version});""";

    /// <summary>Inserts each system type that is missing.</summary>
    public static string UpsertSystemTypes(string schema)
    {
        var values = string.Join(", ", SystemTypes.Select(t => $"('{t.Name}', {t.Kind})"));
        return $"""
            INSERT INTO {Quote(schema)}."type" ("name", "type_kind")
            SELECT s."name", s."kind" FROM (VALUES {values}) AS s("name", "kind")
            WHERE NOT EXISTS (
              SELECT 1 FROM {Quote(schema)}."type" t WHERE t."name" = s."name" AND t."type_kind" = s."kind" AND t."version" IS NULL);
            """;
    }

    private static string PropertyTable(string s, string table, string owner) => $$"""
        CREATE TABLE {{s}}."{{table}}" (
          "{{owner}}" BIGINT NOT NULL,
          "name" VARCHAR(255) NOT NULL,
          "is_custom_property" BOOLEAN NOT NULL,
          "int_value" BIGINT,
          "double_value" DOUBLE PRECISION,
          "string_value" TEXT,
          "byte_value" BYTEA,
          "proto_value" BYTEA,
          "bool_value" BOOLEAN,
          PRIMARY KEY ("{{owner}}", "name", "is_custom_property")
        );
        """;

    private static string ValueKey(string value) => value == "string" ? Prefix("string_value") : Quote(value + "_value");

    private static (string, string, string, string?)[] PropertyValueIndexes(string kind) =>
    [
        .. new[] { "int", "double", "string" }.Select(value => (
            $"idx_{kind}_property_{value}",
            kind + "property",
            $"\"name\", \"is_custom_property\", {ValueKey(value)}",
            (string?)$"\"{value}_value\" IS NOT NULL")),
    ];

    private static (string Name, string Table, string Columns, string? Where)[] BuildExtraIndexes()
    {
        var indexes = new List<(string, string, string, string?)>
        {
            ("mds_attribution_artifact_id", "attribution", "\"artifact_id\"", null),
            ("mds_association_execution_id", "association", "\"execution_id\"", null),
        };
        foreach (var (table, state) in new[] { ("artifact", "state"), ("execution", "last_known_state"), ("context", null) })
        {
            indexes.Add(($"mds_{table}_create_time", table, "\"create_time_since_epoch\", \"id\"", null));
            indexes.Add(($"mds_{table}_update_time", table, "\"last_update_time_since_epoch\", \"id\"", null));
            foreach (var (column, suffix) in new[] { ("type_id", "type"), (state, "state") })
            {
                if (column is null)
                {
                    continue;
                }

                indexes.Add(($"mds_{table}_{suffix}", table, $"\"{column}\", \"id\"", null));
                indexes.Add(($"mds_{table}_{suffix}_create_time", table, $"\"{column}\", \"create_time_since_epoch\", \"id\"", null));
                indexes.Add(($"mds_{table}_{suffix}_update_time", table, $"\"{column}\", \"last_update_time_since_epoch\", \"id\"", null));
            }

            foreach (var value in new[] { "int", "double", "string", "bool" })
            {
                indexes.Add((
                    $"mds_{table}_property_{value}",
                    table + "property",
                    $"\"name\", \"is_custom_property\", {ValueKey(value)}, \"{table}_id\"",
                    $"\"{value}_value\" IS NOT NULL"));
            }
        }

        return [.. indexes];
    }
}
