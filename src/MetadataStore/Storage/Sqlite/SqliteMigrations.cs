using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace MetadataStore.Storage.Sqlite;

/// <summary>
/// MLMD's own SQLite schema migrations from version 6 up to 10, as MLMD defines each step: the same tables,
/// columns, indexes and row rules, so an upgraded file is what MLMD 1.11 and later would have made of it. All steps
/// run in one <c>BEGIN IMMEDIATE</c> transaction, so a refused or failed upgrade leaves the file as it was.
/// </summary>
internal sealed class SqliteMigrations(SqliteBackend backend, Func<MetadataErrorCode, string, MetadataStoreException> refuse)
{
    /// <summary>The oldest schema version this library upgrades.</summary>
    public const int OldestUpgradable = 6;

    // A rebuilt table is first written under this prefix, then renamed over the old one.
    private const string RebuildPrefix = "mds_upgrade_";

    private static readonly string[] NodeTables = ["Type", "Artifact", "Execution", "Context"];
    private static readonly string[] PropertyTables = ["ArtifactProperty", "ExecutionProperty", "ContextProperty"];

    // The columns of every table at schema 10; older versions lack the ones ColumnsAt removes.
    private static readonly Dictionary<string, string[]> Version10Columns = new(StringComparer.Ordinal)
    {
        ["Type"] = ["id", "name", "version", "type_kind", "description", "input_type", "output_type", "external_id"],
        ["TypeProperty"] = ["type_id", "name", "data_type"],
        ["ParentType"] = ["type_id", "parent_type_id"],
        ["Artifact"] = ["id", "type_id", "uri", "state", "name", "external_id", "create_time_since_epoch", "last_update_time_since_epoch"],
        ["ArtifactProperty"] = PropertyColumns("artifact_id"),
        ["Execution"] = ["id", "type_id", "last_known_state", "name", "external_id", "create_time_since_epoch", "last_update_time_since_epoch"],
        ["ExecutionProperty"] = PropertyColumns("execution_id"),
        ["Context"] = ["id", "type_id", "name", "external_id", "create_time_since_epoch", "last_update_time_since_epoch"],
        ["ContextProperty"] = PropertyColumns("context_id"),
        ["Event"] = ["id", "artifact_id", "execution_id", "type", "milliseconds_since_epoch"],
        ["EventPath"] = ["event_id", "is_index_step", "step_index", "step_key"],
        ["ParentContext"] = ["context_id", "parent_context_id"],
        ["Association"] = ["id", "context_id", "execution_id"],
        ["Attribution"] = ["id", "context_id", "artifact_id"],
        ["MLMDEnv"] = ["schema_version"],
    };

    /// <summary>The steps, each taking the schema from the version before it to <c>To</c>.</summary>
    private static readonly (int To, string Sql)[] Steps =
    [
        (7, ToVersion7()),
        (8, ToVersion8()),
        (9, ToVersion9()),
        (10, ToVersion10()),
    ];

    /// <summary>Which MLMD releases write a schema version (from MLMD's query config of each release).</summary>
    public static string WrittenBy(long version) => version switch
    {
        < 0 => "no MLMD release (MLMD versions start at 0)",
        < 6 => "an MLMD release before 0.25",
        6 => "MLMD 0.25 to 1.0.x",
        7 => "MLMD 1.1 to 1.6",
        8 => "MLMD 1.7 to 1.10",
        9 => "no MLMD release (only development builds between 1.10 and 1.11 wrote it)",
        10 => "MLMD 1.11 or later",
        _ => "an MLMD release newer than any this library knows",
    };

    /// <summary>
    /// Upgrades the database from the version it holds to 10, in one transaction. The version is read again inside
    /// the transaction, so a concurrent opener that upgraded first leaves nothing to do.
    /// </summary>
    /// <returns>The version the database held before, or 10 when another connection had upgraded it.</returns>
    public long Upgrade(CancellationToken cancellationToken)
    {
        using var transaction = backend.Connection.BeginTransaction(deferred: false);
        var from = Convert.ToInt64(backend.ScalarText("""SELECT "schema_version" FROM "MLMDEnv";""", transaction), CultureInfo.InvariantCulture);
        if (from == SqliteSchema.Version)
        {
            transaction.Commit();
            return from;
        }

        if (from is < OldestUpgradable or > SqliteSchema.Version)
        {
            throw refuse(MetadataErrorCode.FailedPrecondition, $"database schema version {from} ({WrittenBy(from)}) cannot be upgraded; this library upgrades versions {OldestUpgradable} to {SqliteSchema.Version - 1}");
        }

        var mismatch = CompareLayout(from, transaction);
        if (mismatch is not null)
        {
            throw refuse(
                MetadataErrorCode.FailedPrecondition,
                $"the database says schema version {from} ({WrittenBy(from)}) but its tables are not MLMD's layout of that version: {mismatch}; it was left unchanged");
        }

        var step = from;
        try
        {
            foreach (var (to, sql) in Steps)
            {
                if (to <= from)
                {
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                step = to;
                backend.ExecuteText(sql, transaction);
            }

            backend.ExecuteText($"""UPDATE "MLMDEnv" SET "schema_version" = {SqliteSchema.Version};""", transaction);
        }
        catch (SqliteException ex) when (!SqliteBackend.IsBusy(ex))
        {
            throw refuse(
                MetadataErrorCode.Internal,
                $"upgrading schema version {from} ({WrittenBy(from)}) failed at the step to version {step} and was rolled back, so the database is unchanged; SQLite reported: {ex.Message}");
        }

        // A step that left a table short of a column would be a bug here: never commit it.
        mismatch = CompareLayout(SqliteSchema.Version, transaction);
        if (mismatch is not null)
        {
            throw refuse(MetadataErrorCode.Internal, $"upgrading schema version {from} produced a layout unlike version {SqliteSchema.Version} ({mismatch}); the database is unchanged");
        }

        transaction.Commit();
        return from;
    }

    /// <summary>Describes how the tables differ from MLMD's layout at <paramref name="version"/>; null when they match.</summary>
    private string? CompareLayout(long version, SqliteTransaction transaction)
    {
        var problems = new List<string>();
        foreach (var (table, _) in Version10Columns)
        {
            var expected = ColumnsAt(version, table);
            var actual = new List<string>();
            using (var command = backend.Connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT \"name\" FROM pragma_table_info($table);";
                command.Parameters.AddWithValue("$table", table);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    actual.Add(reader.GetString(0));
                }
            }

            if (actual.Count == 0)
            {
                problems.Add($"table {table} is missing");
                continue;
            }

            var lacking = expected.Where(c => !actual.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
            var extra = actual.Where(c => !expected.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
            if (lacking.Count > 0)
            {
                problems.Add($"{table} lacks {string.Join(", ", lacking)}");
            }

            if (extra.Count > 0)
            {
                problems.Add($"{table} has unexpected {string.Join(", ", extra)}");
            }
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static IEnumerable<string> ColumnsAt(long version, string table)
    {
        IEnumerable<string> columns = Version10Columns[table];
        if (version < 10 && PropertyTables.Contains(table))
        {
            columns = columns.Where(c => c is not ("proto_value" or "bool_value"));
        }

        if (version < 9 && NodeTables.Contains(table))
        {
            columns = columns.Where(c => c != "external_id");
        }

        if (version < 7 && PropertyTables.Contains(table))
        {
            columns = columns.Where(c => c != "byte_value");
        }

        return columns;
    }

    private static string[] PropertyColumns(string owner) =>
        [owner, "name", "is_custom_property", "int_value", "double_value", "string_value", "byte_value", "proto_value", "bool_value"];

    // 6 -> 7 (MLMD 1.1): a byte_value column on the three property tables, and an index on EventPath(event_id).
    private static string ToVersion7()
    {
        var sql = new StringBuilder();
        foreach (var table in PropertyTables)
        {
            sql.Append(CultureInfo.InvariantCulture, $"ALTER TABLE \"{table}\" ADD COLUMN \"byte_value\" BLOB;\n");
        }

        sql.Append("CREATE INDEX IF NOT EXISTS \"idx_eventpath_event_id\" ON \"EventPath\"(\"event_id\");\n");
        return sql.ToString();
    }

    // 7 -> 8 (MLMD 1.7): partial value indexes on the property tables; Event gains UNIQUE (artifact, execution,
    // type), keeping the newest of any duplicates and dropping the paths of the others; the Event rebuild drops
    // idx_event_artifact_id for good and recreates idx_event_execution_id.
    private static string ToVersion8()
    {
        var sql = new StringBuilder();
        foreach (var (table, prefix) in new[] { ("ArtifactProperty", "artifact"), ("ExecutionProperty", "execution"), ("ContextProperty", "context") })
        {
            foreach (var kind in new[] { "int", "double", "string" })
            {
                sql.Append(CultureInfo.InvariantCulture, $"""
                    CREATE INDEX IF NOT EXISTS "idx_{prefix}_property_{kind}" ON "{table}"("name", "is_custom_property", "{kind}_value") WHERE "{kind}_value" IS NOT NULL;

                    """);
            }
        }

        sql.Append(Rebuild(
            "Event",
            """
            "id" INTEGER PRIMARY KEY AUTOINCREMENT,
            "artifact_id" INT NOT NULL,
            "execution_id" INT NOT NULL,
            "type" INT NOT NULL,
            "milliseconds_since_epoch" INT,
            UNIQUE ("artifact_id", "execution_id", "type")
            """,
            ["id", "artifact_id", "execution_id", "type", "milliseconds_since_epoch"],
            """WHERE "id" IN (SELECT MAX("id") FROM "Event" GROUP BY "artifact_id", "execution_id", "type")"""));
        sql.Append("""
            CREATE INDEX IF NOT EXISTS "idx_event_execution_id" ON "Event"("execution_id");
            DELETE FROM "EventPath" WHERE "event_id" NOT IN (SELECT "id" FROM "Event");

            """);
        return sql.ToString();
    }

    // 8 -> 9: an external_id VARCHAR(255) UNIQUE column on Type (last), Artifact, Execution and Context (after name),
    // each with its index; the rebuilds drop the tables' other indexes, which are created again.
    private static string ToVersion9()
    {
        var sql = new StringBuilder();
        sql.Append(Rebuild(
            "Type",
            """
            "id" INTEGER PRIMARY KEY AUTOINCREMENT,
            "name" VARCHAR(255) NOT NULL,
            "version" VARCHAR(255),
            "type_kind" TINYINT(1) NOT NULL,
            "description" TEXT,
            "input_type" TEXT,
            "output_type" TEXT,
            "external_id" VARCHAR(255) UNIQUE
            """,
            ["id", "name", "version", "type_kind", "description", "input_type", "output_type"],
            null));
        sql.Append(Rebuild(
            "Artifact",
            """
            "id" INTEGER PRIMARY KEY AUTOINCREMENT,
            "type_id" INT NOT NULL,
            "uri" TEXT,
            "state" INT,
            "name" VARCHAR(255),
            "external_id" VARCHAR(255) UNIQUE,
            "create_time_since_epoch" INT NOT NULL DEFAULT 0,
            "last_update_time_since_epoch" INT NOT NULL DEFAULT 0,
            UNIQUE ("type_id", "name")
            """,
            ["id", "type_id", "uri", "state", "name", "create_time_since_epoch", "last_update_time_since_epoch"],
            null));
        sql.Append(Rebuild(
            "Execution",
            """
            "id" INTEGER PRIMARY KEY AUTOINCREMENT,
            "type_id" INT NOT NULL,
            "last_known_state" INT,
            "name" VARCHAR(255),
            "external_id" VARCHAR(255) UNIQUE,
            "create_time_since_epoch" INT NOT NULL DEFAULT 0,
            "last_update_time_since_epoch" INT NOT NULL DEFAULT 0,
            UNIQUE ("type_id", "name")
            """,
            ["id", "type_id", "last_known_state", "name", "create_time_since_epoch", "last_update_time_since_epoch"],
            null));
        sql.Append(Rebuild(
            "Context",
            """
            "id" INTEGER PRIMARY KEY AUTOINCREMENT,
            "type_id" INT NOT NULL,
            "name" VARCHAR(255) NOT NULL,
            "external_id" VARCHAR(255) UNIQUE,
            "create_time_since_epoch" INT NOT NULL DEFAULT 0,
            "last_update_time_since_epoch" INT NOT NULL DEFAULT 0,
            UNIQUE ("type_id", "name")
            """,
            ["id", "type_id", "name", "create_time_since_epoch", "last_update_time_since_epoch"],
            null));
        sql.Append("""
            CREATE INDEX IF NOT EXISTS "idx_type_name" ON "Type"("name");
            CREATE INDEX IF NOT EXISTS "idx_artifact_uri" ON "Artifact"("uri");
            CREATE INDEX IF NOT EXISTS "idx_artifact_create_time_since_epoch" ON "Artifact"("create_time_since_epoch");
            CREATE INDEX IF NOT EXISTS "idx_artifact_last_update_time_since_epoch" ON "Artifact"("last_update_time_since_epoch");
            CREATE INDEX IF NOT EXISTS "idx_execution_create_time_since_epoch" ON "Execution"("create_time_since_epoch");
            CREATE INDEX IF NOT EXISTS "idx_execution_last_update_time_since_epoch" ON "Execution"("last_update_time_since_epoch");
            CREATE INDEX IF NOT EXISTS "idx_context_create_time_since_epoch" ON "Context"("create_time_since_epoch");
            CREATE INDEX IF NOT EXISTS "idx_context_last_update_time_since_epoch" ON "Context"("last_update_time_since_epoch");
            CREATE INDEX IF NOT EXISTS "idx_type_external_id" ON "Type"("external_id");
            CREATE INDEX IF NOT EXISTS "idx_artifact_external_id" ON "Artifact"("external_id");
            CREATE INDEX IF NOT EXISTS "idx_execution_external_id" ON "Execution"("external_id");
            CREATE INDEX IF NOT EXISTS "idx_context_external_id" ON "Context"("external_id");

            """);
        return sql.ToString();
    }

    // 9 -> 10 (MLMD 1.11): proto_value BLOB and bool_value BOOLEAN columns on the three property tables.
    private static string ToVersion10()
    {
        var sql = new StringBuilder();
        foreach (var table in PropertyTables)
        {
            sql.Append(CultureInfo.InvariantCulture, $"ALTER TABLE \"{table}\" ADD COLUMN \"proto_value\" BLOB;\n");
            sql.Append(CultureInfo.InvariantCulture, $"ALTER TABLE \"{table}\" ADD COLUMN \"bool_value\" BOOLEAN;\n");
        }

        return sql.ToString();
    }

    /// <summary>
    /// Rewrites a table under a new definition: copy the rows (optionally filtered), carry over its AUTOINCREMENT
    /// high-water mark so ids of deleted rows are never handed out again, drop it, and rename the copy.
    /// </summary>
    private static string Rebuild(string table, string definition, string[] copied, string? filter)
    {
        var temporary = RebuildPrefix + table;
        var columns = string.Join(", ", copied.Select(c => $"\"{c}\""));
        return $"""
            CREATE TABLE "{temporary}" (
            {definition}
            );
            INSERT INTO "{temporary}" ({columns}) SELECT {columns} FROM "{table}" {filter};
            DELETE FROM "sqlite_sequence" WHERE "name" = '{temporary}';
            INSERT INTO "sqlite_sequence" ("name", "seq") SELECT '{temporary}', "seq" FROM "sqlite_sequence" WHERE "name" = '{table}';
            DROP TABLE "{table}";
            ALTER TABLE "{temporary}" RENAME TO "{table}";

            """;
    }
}
