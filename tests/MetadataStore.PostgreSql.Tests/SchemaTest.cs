using System.Globalization;
using FluentAssertions;
using Npgsql;

namespace MetadataStore.PostgreSql.Tests;

/// <summary>The PostgreSQL DDL on a real server, read back from the catalogue and compared with MLMD's schema-v10 layout.</summary>
public sealed class SchemaTest : IAsyncLifetime
{
    // MLMD's v10 columns in declaration order, with PostgreSQL's natural types: table.column type nullability.
    private static readonly string[] MlmdColumns =
    [
        "type.id bigint NOT NULL", "type.name varchar(255) NOT NULL", "type.version varchar(255) NULL", "type.type_kind smallint NOT NULL",
        "type.description text NULL", "type.input_type text NULL", "type.output_type text NULL", "type.external_id varchar(255) NULL",
        "typeproperty.type_id bigint NOT NULL", "typeproperty.name varchar(255) NOT NULL", "typeproperty.data_type integer NULL",
        "parenttype.type_id bigint NOT NULL", "parenttype.parent_type_id bigint NOT NULL",
        "artifact.id bigint NOT NULL", "artifact.type_id bigint NOT NULL", "artifact.uri text NULL", "artifact.state integer NULL",
        "artifact.name varchar(255) NULL", "artifact.external_id varchar(255) NULL", "artifact.create_time_since_epoch bigint NOT NULL",
        "artifact.last_update_time_since_epoch bigint NOT NULL",
        .. PropertyColumns("artifact"),
        "execution.id bigint NOT NULL", "execution.type_id bigint NOT NULL", "execution.last_known_state integer NULL",
        "execution.name varchar(255) NULL", "execution.external_id varchar(255) NULL", "execution.create_time_since_epoch bigint NOT NULL",
        "execution.last_update_time_since_epoch bigint NOT NULL",
        .. PropertyColumns("execution"),
        "context.id bigint NOT NULL", "context.type_id bigint NOT NULL", "context.name varchar(255) NOT NULL",
        "context.external_id varchar(255) NULL", "context.create_time_since_epoch bigint NOT NULL", "context.last_update_time_since_epoch bigint NOT NULL",
        .. PropertyColumns("context"),
        "event.id bigint NOT NULL", "event.artifact_id bigint NOT NULL", "event.execution_id bigint NOT NULL", "event.type integer NOT NULL",
        "event.milliseconds_since_epoch bigint NULL",
        "eventpath.event_id bigint NOT NULL", "eventpath.is_index_step boolean NOT NULL", "eventpath.step_index bigint NULL", "eventpath.step_key text NULL",
        "parentcontext.context_id bigint NOT NULL", "parentcontext.parent_context_id bigint NOT NULL",
        "association.id bigint NOT NULL", "association.context_id bigint NOT NULL", "association.execution_id bigint NOT NULL",
        "attribution.id bigint NOT NULL", "attribution.context_id bigint NOT NULL", "attribution.artifact_id bigint NOT NULL",
        "mlmdenv.schema_version integer NOT NULL",
    ];

    private static readonly string[] MlmdKeys =
    [
        "type PRIMARY KEY (id)", "type UNIQUE (external_id)",
        "typeproperty PRIMARY KEY (type_id, name)", "parenttype PRIMARY KEY (type_id, parent_type_id)",
        "artifact PRIMARY KEY (id)", "artifact UNIQUE (external_id)", "artifact UNIQUE (type_id, name)",
        "artifactproperty PRIMARY KEY (artifact_id, name, is_custom_property)",
        "execution PRIMARY KEY (id)", "execution UNIQUE (external_id)", "execution UNIQUE (type_id, name)",
        "executionproperty PRIMARY KEY (execution_id, name, is_custom_property)",
        "context PRIMARY KEY (id)", "context UNIQUE (external_id)", "context UNIQUE (type_id, name)",
        "contextproperty PRIMARY KEY (context_id, name, is_custom_property)",
        "event PRIMARY KEY (id)", "event UNIQUE (artifact_id, execution_id, type)",
        "parentcontext PRIMARY KEY (context_id, parent_context_id)",
        "association PRIMARY KEY (id)", "association UNIQUE (context_id, execution_id)",
        "attribution PRIMARY KEY (id)", "attribution UNIQUE (context_id, artifact_id)",
        "mlmdenv PRIMARY KEY (schema_version)",
    ];

    private static readonly string[] MlmdIndexNames =
    [
        "idx_artifact_uri", "idx_artifact_create_time_since_epoch", "idx_artifact_last_update_time_since_epoch",
        "idx_event_execution_id", "idx_parentcontext_parent_context_id", "idx_type_name",
        "idx_execution_create_time_since_epoch", "idx_execution_last_update_time_since_epoch",
        "idx_context_create_time_since_epoch", "idx_context_last_update_time_since_epoch", "idx_eventpath_event_id",
        "idx_artifact_property_int", "idx_artifact_property_double", "idx_artifact_property_string",
        "idx_execution_property_int", "idx_execution_property_double", "idx_execution_property_string",
        "idx_context_property_int", "idx_context_property_double", "idx_context_property_string",
        "idx_type_external_id", "idx_artifact_external_id", "idx_execution_external_id", "idx_context_external_id",
    ];

    private PostgresServer _server = null!;

    private int _serverMajorVersion;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.SharedAsync();
        await using var connection = new NpgsqlConnection(_server.OwnerConnectionString);
        await connection.OpenAsync();
        _serverMajorVersion = connection.PostgreSqlVersion.Major;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_tables_have_MLMDs_columns_types_and_keys_and_no_foreign_keys()
    {
        var schema = await CreateSchemaAsync();

        var columns = await QueryAsync(
            """
            SELECT table_name || '.' || column_name || ' '
                   || CASE WHEN data_type = 'character varying' THEN 'varchar(' || character_maximum_length || ')' ELSE data_type END
                   || CASE WHEN is_nullable = 'YES' THEN ' NULL' ELSE ' NOT NULL' END
            FROM information_schema.columns
            WHERE table_schema = $1 AND table_name NOT LIKE 'mds\_%'
            ORDER BY array_position($2, table_name::text), ordinal_position
            """,
            schema,
            MlmdColumns.Select(c => c[..c.IndexOf('.', StringComparison.Ordinal)]).Distinct().ToArray());
        columns.Should().Equal(MlmdColumns);

        var keys = await QueryAsync(
            """
            SELECT c.conrelid::regclass::text, c.contype, string_agg(a.attname, ', ' ORDER BY k.n)
            FROM pg_constraint c
            CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
            WHERE c.connamespace = $1::regnamespace AND c.conrelid::regclass::text NOT LIKE '%mds\_%'
            GROUP BY c.oid, c.conrelid, c.contype
            """,
            PostgreSqlSchema.Quote(schema));
        keys.Should().NotContain(k => k.Contains(" f ", StringComparison.Ordinal), "MLMD's layout has no foreign keys");
        keys.Select(Describe).Should().BeEquivalentTo(MlmdKeys);

        string Describe(string row)
        {
            // "schema.table p a, b" -> "table PRIMARY KEY (a, b)"
            var parts = row.Split(' ', 3);
            var table = parts[0][(parts[0].IndexOf('.', StringComparison.Ordinal) + 1)..];
            return $"{table} {(parts[1] == "p" ? "PRIMARY KEY" : "UNIQUE")} ({parts[2]})";
        }
    }

    [Fact]
    public async Task The_schema_has_MLMDs_indexes_ours_the_version_row_and_the_system_types()
    {
        var schema = await CreateSchemaAsync();

        var indexes = await QueryAsync("SELECT indexname FROM pg_indexes WHERE schemaname = $1", schema);
        indexes.Should().Contain(MlmdIndexNames);
        indexes.Where(i => i.StartsWith("mds_", StringComparison.Ordinal) && !i.EndsWith("_pkey", StringComparison.Ordinal))
            .Should().HaveCount(PostgreSqlSchema.ExtraIndexes.Length + 1, "every extra index and the unique type index");
        (await QueryAsync($"SELECT schema_version::text FROM {PostgreSqlSchema.Quote(schema)}.mlmdenv")).Should().Equal("10");
        (await QueryAsync($"SELECT type_kind || ' ' || name FROM {PostgreSqlSchema.Quote(schema)}.type WHERE version IS NULL ORDER BY id"))
            .Should().Equal(
                "1 mlmd.Dataset", "1 mlmd.Model", "1 mlmd.Metrics", "1 mlmd.Statistics",
                "0 mlmd.Train", "0 mlmd.Transform", "0 mlmd.Process", "0 mlmd.Evaluate", "0 mlmd.Deploy");
    }

    [Fact]
    public async Task The_property_tables_have_our_statistics()
    {
        var schema = await CreateSchemaAsync();

        (await StatisticsAsync(schema)).Should().BeEquivalentTo(PostgreSqlSchema.ExtraStatistics.Select(s => s.Name));
    }

    [Fact]
    public async Task Opening_a_schema_that_lacks_our_statistics_creates_and_fills_them()
    {
        var schema = await CreateSchemaAsync();
        var s = PostgreSqlSchema.Quote(schema);
        await ExecuteAsync(
            _server.OwnerConnectionString,
            $"""
            INSERT INTO {s}.artifactproperty (artifact_id, name, is_custom_property, int_value, string_value)
            SELECT g, p, false, CASE WHEN p = 'shard' THEN g % 10 END, CASE WHEN p = 'split' THEN 'train' END
            FROM generate_series(1, 1000) AS g, unnest(ARRAY['shard', 'split']) AS p;
            DROP STATISTICS {s}."mds_artifact_property_int_stats", {s}."mds_artifact_property_string_stats", {s}."mds_context_property_bool_stats";
            """);
        (await StatisticsAsync(schema)).Should().HaveCount(PostgreSqlSchema.ExtraStatistics.Length - 3);

        // A writer may not create them: the store opens without them.
        await using (var writer = await new MetadataStoreBuilder().UsePostgreSql(_server.WriterConnectionString, schema).OpenAsync())
        {
            (await writer.GetArtifactTypesAsync()).Should().BeEmpty();
        }

        (await StatisticsAsync(schema)).Should().HaveCount(PostgreSqlSchema.ExtraStatistics.Length - 3);
        await using (var owner = await new MetadataStoreBuilder().UsePostgreSql(_server.OwnerConnectionString, schema).OpenAsync())
        {
        }

        (await StatisticsAsync(schema)).Should().BeEquivalentTo(PostgreSqlSchema.ExtraStatistics.Select(s => s.Name));
        // Analyzed right away: the planner knows that a tenth of the shard rows hold each value.
        (await QueryAsync(
            "SELECT statistics_name || ' ' || most_common_vals::text FROM pg_stats_ext WHERE schemaname = $1 AND statistics_name = 'mds_artifact_property_int_stats'",
            schema)).Should().ContainSingle().Which.Should().Contain("shard,f,7");
    }

    [Fact]
    public async Task Long_uris_and_string_values_fit_the_text_indexes()
    {
        var schema = await CreateSchemaAsync();
        var s = PostgreSqlSchema.Quote(schema);

        // A b-tree on whole text values would refuse these (an index entry must fit in a third of a page).
        var huge = string.Concat(Enumerable.Range(0, 20_000).Select(i => i.ToString("x5", CultureInfo.InvariantCulture)));
        foreach (var insert in new[]
        {
            $"INSERT INTO {s}.artifact (type_id, uri, name) VALUES (1, $1, 'a')",
            $"INSERT INTO {s}.artifactproperty (artifact_id, name, is_custom_property, string_value) VALUES (1, 'p', false, $1)",
            $"INSERT INTO {s}.executionproperty (execution_id, name, is_custom_property, string_value) VALUES (1, 'p', true, $1)",
            $"INSERT INTO {s}.contextproperty (context_id, name, is_custom_property, string_value) VALUES (1, 'p', false, $1)",
        })
        {
            await ExecuteAsync(_server.WriterConnectionString, insert, huge);
        }

        (await QueryAsync($"SELECT length(uri)::text FROM {s}.artifact WHERE left(uri, {PostgreSqlSchema.TextKeyLength}) = left($1, {PostgreSqlSchema.TextKeyLength}) AND uri = $1", huge))
            .Should().Equal(huge.Length.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_second_type_with_the_same_kind_name_and_no_version_is_refused()
    {
        var schema = await CreateSchemaAsync();
        var s = PostgreSqlSchema.Quote(schema);
        await ExecuteAsync(_server.WriterConnectionString, $"INSERT INTO {s}.type (name, type_kind) VALUES ('T', 1)");

        var duplicate = () => ExecuteAsync(_server.WriterConnectionString, $"INSERT INTO {s}.type (name, type_kind) VALUES ('T', 1)");

        (await duplicate.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.UniqueViolation);
        await ExecuteAsync(_server.WriterConnectionString, $"INSERT INTO {s}.type (name, type_kind, version) VALUES ('T', 1, 'v2'), ('T', 0, NULL)");
    }

    [Fact]
    public async Task The_writer_reads_and_writes_rows_and_changes_no_schema()
    {
        var schema = await CreateSchemaAsync();
        var s = PostgreSqlSchema.Quote(schema);
        var writer = _server.WriterConnectionString;

        await ExecuteAsync(writer, $"INSERT INTO {s}.artifact (type_id, uri) VALUES (1, 'file:///a')");
        await ExecuteAsync(writer, $"UPDATE {s}.artifact SET uri = 'file:///b'");
        (await QueryAsAsync(writer, $"SELECT uri FROM {s}.artifact")).Should().Equal("file:///b");
        await ExecuteAsync(writer, $"DELETE FROM {s}.artifact");

        await ShouldBeDeniedAsync(writer, $"CREATE TABLE {s}.extra (id INT)");
        await ShouldBeDeniedAsync(writer, $"DROP TABLE {s}.artifact");
        await ShouldBeDeniedAsync(writer, $"ALTER TABLE {s}.artifact ADD COLUMN extra INT");
        await ShouldBeDeniedAsync(writer, $"TRUNCATE {s}.artifact");
        await ShouldBeDeniedAsync(writer, $"CREATE INDEX extra ON {s}.artifact (uri)");
        await ShouldBeDeniedAsync(writer, "CREATE SCHEMA writer_schema");
    }

    [Fact]
    public async Task The_reader_reads_and_writes_nothing()
    {
        var schema = await CreateSchemaAsync();
        var s = PostgreSqlSchema.Quote(schema);
        await ExecuteAsync(_server.WriterConnectionString, $"INSERT INTO {s}.artifact (type_id, uri) VALUES (1, 'file:///a')");
        var reader = _server.ReaderConnectionString;

        (await QueryAsAsync(reader, $"SELECT uri FROM {s}.artifact")).Should().Equal("file:///a");
        (await QueryAsAsync(reader, $"SELECT count(*)::text FROM {s}.type")).Should().Equal("9");

        await ShouldBeDeniedAsync(reader, $"INSERT INTO {s}.artifact (type_id, uri) VALUES (1, 'file:///b')");
        await ShouldBeDeniedAsync(reader, $"UPDATE {s}.artifact SET uri = 'file:///c'");
        await ShouldBeDeniedAsync(reader, $"DELETE FROM {s}.artifact");
        await ShouldBeDeniedAsync(reader, $"CREATE TABLE {s}.extra (id INT)");
        await ShouldBeDeniedAsync(reader, "CREATE SCHEMA reader_schema");
    }

    [Fact]
    public async Task Only_the_owner_creates_schemas()
    {
        var schema = _server.NewSchemaName();

        await ShouldBeDeniedAsync(_server.WriterConnectionString, PostgreSqlSchema.CreateSchema(schema));
        await ShouldBeDeniedAsync(_server.ReaderConnectionString, PostgreSqlSchema.CreateSchema(schema));
        await ExecuteAsync(_server.OwnerConnectionString, PostgreSqlSchema.CreateSchema(schema) + PostgreSqlSchema.Create(schema, _serverMajorVersion));
    }

    private async Task<string> CreateSchemaAsync()
    {
        var schema = _server.NewSchemaName();
        await ExecuteAsync(_server.OwnerConnectionString, PostgreSqlSchema.CreateSchema(schema) + PostgreSqlSchema.Create(schema, _serverMajorVersion));
        return schema;
    }

    private Task<List<string>> StatisticsAsync(string schema) =>
        QueryAsync("SELECT stxname::text FROM pg_statistic_ext WHERE stxnamespace = $1::regnamespace", PostgreSqlSchema.Quote(schema));

    private static async Task ShouldBeDeniedAsync(string connectionString, string sql)
    {
        var act = () => ExecuteAsync(connectionString, sql);
        (await act.Should().ThrowAsync<PostgresException>(sql)).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege, sql);
    }

    private static async Task ExecuteAsync(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    private Task<List<string>> QueryAsync(string sql, params object[] parameters) => QueryAsAsync(_server.OwnerConnectionString, sql, parameters);

    private static async Task<List<string>> QueryAsAsync(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(' ', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    private static string[] PropertyColumns(string kind) =>
    [
        $"{kind}property.{kind}_id bigint NOT NULL", $"{kind}property.name varchar(255) NOT NULL", $"{kind}property.is_custom_property boolean NOT NULL",
        $"{kind}property.int_value bigint NULL", $"{kind}property.double_value double precision NULL", $"{kind}property.string_value text NULL",
        $"{kind}property.byte_value bytea NULL", $"{kind}property.proto_value bytea NULL", $"{kind}property.bool_value boolean NULL",
    ];
}
