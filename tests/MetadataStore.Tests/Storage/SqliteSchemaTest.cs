using FluentAssertions;
using MetadataStore.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace MetadataStore.Tests.Storage;

/// <summary>The layout the library creates is MLMD's schema v10, plus only the mds_ extras.</summary>
public sealed class SqliteSchemaTest
{
    // MLMD v10's SQLite layout: table → columns as (name, declared type, not null, primary-key position).
    private static readonly Dictionary<string, (string Name, string Type, bool NotNull, int Pk)[]> ExpectedTables = new()
    {
        ["Type"] =
        [
            ("id", "INTEGER", false, 1), ("name", "VARCHAR(255)", true, 0), ("version", "VARCHAR(255)", false, 0),
            ("type_kind", "TINYINT(1)", true, 0), ("description", "TEXT", false, 0), ("input_type", "TEXT", false, 0),
            ("output_type", "TEXT", false, 0), ("external_id", "VARCHAR(255)", false, 0),
        ],
        ["TypeProperty"] = [("type_id", "INT", true, 1), ("name", "VARCHAR(255)", true, 2), ("data_type", "INT", false, 0)],
        ["ParentType"] = [("type_id", "INT", true, 1), ("parent_type_id", "INT", true, 2)],
        ["Artifact"] =
        [
            ("id", "INTEGER", false, 1), ("type_id", "INT", true, 0), ("uri", "TEXT", false, 0), ("state", "INT", false, 0),
            ("name", "VARCHAR(255)", false, 0), ("external_id", "VARCHAR(255)", false, 0),
            ("create_time_since_epoch", "INT", true, 0), ("last_update_time_since_epoch", "INT", true, 0),
        ],
        ["ArtifactProperty"] = PropertyColumns("artifact_id"),
        ["Execution"] =
        [
            ("id", "INTEGER", false, 1), ("type_id", "INT", true, 0), ("last_known_state", "INT", false, 0),
            ("name", "VARCHAR(255)", false, 0), ("external_id", "VARCHAR(255)", false, 0),
            ("create_time_since_epoch", "INT", true, 0), ("last_update_time_since_epoch", "INT", true, 0),
        ],
        ["ExecutionProperty"] = PropertyColumns("execution_id"),
        ["Context"] =
        [
            ("id", "INTEGER", false, 1), ("type_id", "INT", true, 0), ("name", "VARCHAR(255)", true, 0),
            ("external_id", "VARCHAR(255)", false, 0),
            ("create_time_since_epoch", "INT", true, 0), ("last_update_time_since_epoch", "INT", true, 0),
        ],
        ["ContextProperty"] = PropertyColumns("context_id"),
        ["Event"] =
        [
            ("id", "INTEGER", false, 1), ("artifact_id", "INT", true, 0), ("execution_id", "INT", true, 0),
            ("type", "INT", true, 0), ("milliseconds_since_epoch", "INT", false, 0),
        ],
        ["EventPath"] = [("event_id", "INT", true, 0), ("is_index_step", "TINYINT(1)", true, 0), ("step_index", "INT", false, 0), ("step_key", "TEXT", false, 0)],
        ["ParentContext"] = [("context_id", "INT", true, 1), ("parent_context_id", "INT", true, 2)],
        ["Association"] = [("id", "INTEGER", false, 1), ("context_id", "INT", true, 0), ("execution_id", "INT", true, 0)],
        ["Attribution"] = [("id", "INTEGER", false, 1), ("context_id", "INT", true, 0), ("artifact_id", "INT", true, 0)],
        ["MLMDEnv"] = [("schema_version", "INTEGER", false, 1)],
    };

    // MLMD's 24 named indexes → (table, indexed columns).
    private static readonly Dictionary<string, (string Table, string Columns)> ExpectedIndexes = new()
    {
        ["idx_artifact_uri"] = ("Artifact", "uri"),
        ["idx_artifact_create_time_since_epoch"] = ("Artifact", "create_time_since_epoch"),
        ["idx_artifact_last_update_time_since_epoch"] = ("Artifact", "last_update_time_since_epoch"),
        ["idx_execution_create_time_since_epoch"] = ("Execution", "create_time_since_epoch"),
        ["idx_execution_last_update_time_since_epoch"] = ("Execution", "last_update_time_since_epoch"),
        ["idx_context_create_time_since_epoch"] = ("Context", "create_time_since_epoch"),
        ["idx_context_last_update_time_since_epoch"] = ("Context", "last_update_time_since_epoch"),
        ["idx_event_execution_id"] = ("Event", "execution_id"),
        ["idx_eventpath_event_id"] = ("EventPath", "event_id"),
        ["idx_parentcontext_parent_context_id"] = ("ParentContext", "parent_context_id"),
        ["idx_type_name"] = ("Type", "name"),
        ["idx_artifact_property_int"] = ("ArtifactProperty", "name,is_custom_property,int_value"),
        ["idx_artifact_property_double"] = ("ArtifactProperty", "name,is_custom_property,double_value"),
        ["idx_artifact_property_string"] = ("ArtifactProperty", "name,is_custom_property,string_value"),
        ["idx_execution_property_int"] = ("ExecutionProperty", "name,is_custom_property,int_value"),
        ["idx_execution_property_double"] = ("ExecutionProperty", "name,is_custom_property,double_value"),
        ["idx_execution_property_string"] = ("ExecutionProperty", "name,is_custom_property,string_value"),
        ["idx_context_property_int"] = ("ContextProperty", "name,is_custom_property,int_value"),
        ["idx_context_property_double"] = ("ContextProperty", "name,is_custom_property,double_value"),
        ["idx_context_property_string"] = ("ContextProperty", "name,is_custom_property,string_value"),
        ["idx_type_external_id"] = ("Type", "external_id"),
        ["idx_artifact_external_id"] = ("Artifact", "external_id"),
        ["idx_execution_external_id"] = ("Execution", "external_id"),
        ["idx_context_external_id"] = ("Context", "external_id"),
    };

    // The extras and their columns are checked one by one in SqliteExtraIndexTest.
    private static readonly string[] ExpectedExtras = [.. SqliteSchema.ExtraIndexes.Select(i => i.Name), "mds_type_kind_name_version"];

    private static (string, string, bool, int)[] PropertyColumns(string owner) =>
    [
        (owner, "INT", true, 1), ("name", "VARCHAR(255)", true, 2), ("is_custom_property", "TINYINT(1)", true, 3),
        ("int_value", "INT", false, 0), ("double_value", "DOUBLE", false, 0), ("string_value", "TEXT", false, 0),
        ("byte_value", "BLOB", false, 0), ("proto_value", "BLOB", false, 0), ("bool_value", "BOOLEAN", false, 0),
    ];

    [Fact]
    public async Task OpenAsync_creates_exactly_mlmd_v10_tables_and_columns_when_database_empty()
    {
        using var db = new SqliteTestDatabase();
        (await db.OpenBackendAsync()).Dispose();

        AssertTablesAndColumns(db);
    }

    [Fact]
    public async Task OpenAsync_creates_mlmd_indexes_and_only_mds_extras_when_database_empty()
    {
        using var db = new SqliteTestDatabase();
        (await db.OpenBackendAsync()).Dispose();

        AssertIndexes(db);
    }

    /// <summary>Asserts MLMD's exact v10 layout plus only the mds_ extras, whatever wrote or upgraded the file.</summary>
    internal static void AssertVersion10Layout(SqliteTestDatabase db)
    {
        AssertTablesAndColumns(db);
        AssertIndexes(db);
    }

    private static void AssertTablesAndColumns(SqliteTestDatabase db)
    {
        var tables = db.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .Select(r => (string)r[0]!).ToList();
        tables.Should().BeEquivalentTo(ExpectedTables.Keys);

        foreach (var (table, expected) in ExpectedTables)
        {
            var columns = db.Query($"PRAGMA table_info(\"{table}\")")
                .Select(r => ((string)r[1]!, (string)r[2]!, (long)r[3]! != 0, (int)(long)r[5]!))
                .ToList();
            columns.Should().Equal(expected, because: $"table {table} must have MLMD's columns in MLMD's order");
        }

        var defaults = db.Query("SELECT dflt_value FROM pragma_table_info('Artifact') WHERE name LIKE '%time_since_epoch'");
        defaults.Select(r => r[0]).Should().AllBeEquivalentTo("0");

        var autoIncrement = db.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%' ORDER BY name")
            .Select(r => (string)r[0]!);
        autoIncrement.Should().BeEquivalentTo("Artifact", "Association", "Attribution", "Context", "Event", "Execution", "Type");
    }

    private static void AssertIndexes(SqliteTestDatabase db)
    {
        var named = db.Query("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        named.Keys.Should().BeEquivalentTo(ExpectedIndexes.Keys.Concat(ExpectedExtras));

        foreach (var (index, (table, columns)) in ExpectedIndexes)
        {
            named[index].Should().Be(table);
            var indexed = db.Query($"SELECT name FROM pragma_index_info('{index}') ORDER BY seqno").Select(r => (string)r[0]!);
            string.Join(",", indexed).Should().Be(columns, because: $"index {index} covers MLMD's columns");
        }

        var partial = db.Query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%_property_%'");
        partial.Should().HaveCount(9);
        partial.Should().OnlyContain(r => ((string)r[1]!).Contains("IS NOT NULL", StringComparison.Ordinal));

        // 24 named + 16 from PRIMARY KEY / UNIQUE constraints, as MLMD has.
        db.Query("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'sqlite_autoindex_%'")[0][0].Should().Be(16L);
    }

    [Fact]
    public async Task OpenAsync_writes_version_10_and_nine_system_types_when_database_empty()
    {
        using var db = new SqliteTestDatabase();
        (await db.OpenBackendAsync()).Dispose();

        db.Query("SELECT schema_version FROM MLMDEnv").Select(r => r[0]).Should().Equal(10L);
        var types = db.Query("SELECT name, type_kind, version, description, external_id, input_type, output_type FROM Type ORDER BY id");
        types.Select(r => ((string)r[0]!, (long)r[1]!)).Should().BeEquivalentTo(new[]
        {
            ("mlmd.Dataset", 1L), ("mlmd.Model", 1L), ("mlmd.Metrics", 1L), ("mlmd.Statistics", 1L),
            ("mlmd.Train", 0L), ("mlmd.Transform", 0L), ("mlmd.Process", 0L), ("mlmd.Evaluate", 0L), ("mlmd.Deploy", 0L),
        });
        types.Should().OnlyContain(r => r[2] == null && r[3] == null && r[4] == null && r[5] == null && r[6] == null);
    }

    [Fact]
    public async Task OpenAsync_keeps_one_set_of_system_types_when_reopened()
    {
        using var db = new SqliteTestDatabase();
        (await db.OpenBackendAsync()).Dispose();
        (await db.OpenBackendAsync()).Dispose();

        db.Query("SELECT count(*) FROM Type")[0][0].Should().Be(9L);
    }

    [Fact]
    public async Task OpenAsync_restores_missing_system_type_when_verifying()
    {
        using var db = new SqliteTestDatabase();
        (await db.OpenBackendAsync()).Dispose();
        db.Execute("DELETE FROM Type WHERE name = 'mlmd.Deploy'");

        (await db.OpenBackendAsync()).Dispose();

        db.Query("SELECT type_kind FROM Type WHERE name = 'mlmd.Deploy'").Select(r => r[0]).Should().Equal(0L);
    }

    [Fact]
    public async Task OpenAsync_creates_schema_once_when_several_connections_open_new_file_at_once()
    {
        using var db = new SqliteTestDatabase();
        var backends = Enumerable.Range(0, 4).Select(_ => db.CreateBackend()).ToList();
        try
        {
            await Task.WhenAll(backends.Select(b => Task.Run(() => b.OpenAsync(SchemaMode.CreateOrVerify, CancellationToken.None).AsTask())));
        }
        finally
        {
            backends.ForEach(b => b.Dispose());
        }

        db.Query("SELECT count(*) FROM Type")[0][0].Should().Be(9L);
        db.Query("SELECT count(*) FROM MLMDEnv")[0][0].Should().Be(1L);
    }

    [Fact]
    public async Task OpenAsync_uses_write_ahead_log_when_file()
    {
        using var db = new SqliteTestDatabase();
        (await db.OpenBackendAsync()).Dispose();

        db.Query("PRAGMA journal_mode")[0][0].Should().Be("wal");
    }

    [Fact]
    public async Task OpenAsync_keeps_data_while_open_when_shared_memory_database()
    {
        var name = "storage-test-" + Guid.NewGuid().ToString("N");
        await using var backend = new SqliteBackend($"Data Source={name};Mode=Memory;Cache=Shared", NullLogger.Instance);
        await backend.OpenAsync(SchemaMode.CreateOrVerify, CancellationToken.None);

        var types = await backend.ReadAsync(tx => tx.GetTypesAsync(TypeKind.Artifact, new MetadataStore.Storage.TypeQuery.ByName("mlmd.Model", null), CancellationToken.None));

        types.Should().ContainSingle().Which.Kind.Should().Be(TypeKind.Artifact);
    }
}
