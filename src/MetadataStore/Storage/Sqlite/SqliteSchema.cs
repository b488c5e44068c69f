namespace MetadataStore.Storage.Sqlite;

/// <summary>MLMD's SQLite layout at schema version 10, plus this library's compatible <c>mds_</c> extras.</summary>
internal static class SqliteSchema
{
    /// <summary>The MLMD schema version this library reads and writes.</summary>
    public const int Version = 10;

    /// <summary>The prefix of every object this library adds beside MLMD's.</summary>
    public const string ExtraPrefix = "mds_";

    /// <summary>MLMD's fifteen tables.</summary>
    public static readonly string[] Tables =
    [
        "Type", "TypeProperty", "ParentType",
        "Artifact", "ArtifactProperty", "Execution", "ExecutionProperty", "Context", "ContextProperty",
        "Event", "EventPath", "ParentContext", "Association", "Attribution", "MLMDEnv",
    ];

    /// <summary>MLMD's system types (name, type_kind), which it hides from type listings and upserts on every connection.</summary>
    public static readonly (string Name, TypeKind Kind)[] SystemTypes =
    [
        ("mlmd.Dataset", TypeKind.Artifact),
        ("mlmd.Model", TypeKind.Artifact),
        ("mlmd.Metrics", TypeKind.Artifact),
        ("mlmd.Statistics", TypeKind.Artifact),
        ("mlmd.Train", TypeKind.Execution),
        ("mlmd.Transform", TypeKind.Execution),
        ("mlmd.Process", TypeKind.Execution),
        ("mlmd.Evaluate", TypeKind.Execution),
        ("mlmd.Deploy", TypeKind.Execution),
    ];

    /// <summary>The tables, in MLMD's column order and declared types.</summary>
    public const string CreateTables = """
        CREATE TABLE "Type" (
          "id" INTEGER PRIMARY KEY AUTOINCREMENT,
          "name" VARCHAR(255) NOT NULL,
          "version" VARCHAR(255),
          "type_kind" TINYINT(1) NOT NULL,
          "description" TEXT,
          "input_type" TEXT,
          "output_type" TEXT,
          "external_id" VARCHAR(255) UNIQUE
        );
        CREATE TABLE "TypeProperty" (
          "type_id" INT NOT NULL,
          "name" VARCHAR(255) NOT NULL,
          "data_type" INT NULL,
          PRIMARY KEY ("type_id", "name")
        );
        CREATE TABLE "ParentType" (
          "type_id" INT NOT NULL,
          "parent_type_id" INT NOT NULL,
          PRIMARY KEY ("type_id", "parent_type_id")
        );
        CREATE TABLE "Artifact" (
          "id" INTEGER PRIMARY KEY AUTOINCREMENT,
          "type_id" INT NOT NULL,
          "uri" TEXT,
          "state" INT,
          "name" VARCHAR(255),
          "external_id" VARCHAR(255) UNIQUE,
          "create_time_since_epoch" INT NOT NULL DEFAULT 0,
          "last_update_time_since_epoch" INT NOT NULL DEFAULT 0,
          UNIQUE ("type_id", "name")
        );
        CREATE TABLE "ArtifactProperty" (
          "artifact_id" INT NOT NULL,
          "name" VARCHAR(255) NOT NULL,
          "is_custom_property" TINYINT(1) NOT NULL,
          "int_value" INT,
          "double_value" DOUBLE,
          "string_value" TEXT,
          "byte_value" BLOB,
          "proto_value" BLOB,
          "bool_value" BOOLEAN,
          PRIMARY KEY ("artifact_id", "name", "is_custom_property")
        );
        CREATE TABLE "Execution" (
          "id" INTEGER PRIMARY KEY AUTOINCREMENT,
          "type_id" INT NOT NULL,
          "last_known_state" INT,
          "name" VARCHAR(255),
          "external_id" VARCHAR(255) UNIQUE,
          "create_time_since_epoch" INT NOT NULL DEFAULT 0,
          "last_update_time_since_epoch" INT NOT NULL DEFAULT 0,
          UNIQUE ("type_id", "name")
        );
        CREATE TABLE "ExecutionProperty" (
          "execution_id" INT NOT NULL,
          "name" VARCHAR(255) NOT NULL,
          "is_custom_property" TINYINT(1) NOT NULL,
          "int_value" INT,
          "double_value" DOUBLE,
          "string_value" TEXT,
          "byte_value" BLOB,
          "proto_value" BLOB,
          "bool_value" BOOLEAN,
          PRIMARY KEY ("execution_id", "name", "is_custom_property")
        );
        CREATE TABLE "Context" (
          "id" INTEGER PRIMARY KEY AUTOINCREMENT,
          "type_id" INT NOT NULL,
          "name" VARCHAR(255) NOT NULL,
          "external_id" VARCHAR(255) UNIQUE,
          "create_time_since_epoch" INT NOT NULL DEFAULT 0,
          "last_update_time_since_epoch" INT NOT NULL DEFAULT 0,
          UNIQUE ("type_id", "name")
        );
        CREATE TABLE "ContextProperty" (
          "context_id" INT NOT NULL,
          "name" VARCHAR(255) NOT NULL,
          "is_custom_property" TINYINT(1) NOT NULL,
          "int_value" INT,
          "double_value" DOUBLE,
          "string_value" TEXT,
          "byte_value" BLOB,
          "proto_value" BLOB,
          "bool_value" BOOLEAN,
          PRIMARY KEY ("context_id", "name", "is_custom_property")
        );
        CREATE TABLE "Event" (
          "id" INTEGER PRIMARY KEY AUTOINCREMENT,
          "artifact_id" INT NOT NULL,
          "execution_id" INT NOT NULL,
          "type" INT NOT NULL,
          "milliseconds_since_epoch" INT,
          UNIQUE ("artifact_id", "execution_id", "type")
        );
        CREATE TABLE "EventPath" (
          "event_id" INT NOT NULL,
          "is_index_step" TINYINT(1) NOT NULL,
          "step_index" INT,
          "step_key" TEXT
        );
        CREATE TABLE "ParentContext" (
          "context_id" INT NOT NULL,
          "parent_context_id" INT NOT NULL,
          PRIMARY KEY ("context_id", "parent_context_id")
        );
        CREATE TABLE "Association" (
          "id" INTEGER PRIMARY KEY AUTOINCREMENT,
          "context_id" INT NOT NULL,
          "execution_id" INT NOT NULL,
          UNIQUE ("context_id", "execution_id")
        );
        CREATE TABLE "Attribution" (
          "id" INTEGER PRIMARY KEY AUTOINCREMENT,
          "context_id" INT NOT NULL,
          "artifact_id" INT NOT NULL,
          UNIQUE ("context_id", "artifact_id")
        );
        CREATE TABLE "MLMDEnv" (
          "schema_version" INTEGER PRIMARY KEY
        );
        """;

    /// <summary>MLMD's 24 named secondary indexes.</summary>
    public const string CreateIndexes = """
        CREATE INDEX IF NOT EXISTS "idx_artifact_uri" ON "Artifact"("uri");
        CREATE INDEX IF NOT EXISTS "idx_artifact_create_time_since_epoch" ON "Artifact"("create_time_since_epoch");
        CREATE INDEX IF NOT EXISTS "idx_artifact_last_update_time_since_epoch" ON "Artifact"("last_update_time_since_epoch");
        CREATE INDEX IF NOT EXISTS "idx_event_execution_id" ON "Event"("execution_id");
        CREATE INDEX IF NOT EXISTS "idx_parentcontext_parent_context_id" ON "ParentContext"("parent_context_id");
        CREATE INDEX IF NOT EXISTS "idx_type_name" ON "Type"("name");
        CREATE INDEX IF NOT EXISTS "idx_execution_create_time_since_epoch" ON "Execution"("create_time_since_epoch");
        CREATE INDEX IF NOT EXISTS "idx_execution_last_update_time_since_epoch" ON "Execution"("last_update_time_since_epoch");
        CREATE INDEX IF NOT EXISTS "idx_context_create_time_since_epoch" ON "Context"("create_time_since_epoch");
        CREATE INDEX IF NOT EXISTS "idx_context_last_update_time_since_epoch" ON "Context"("last_update_time_since_epoch");
        CREATE INDEX IF NOT EXISTS "idx_eventpath_event_id" ON "EventPath"("event_id");
        CREATE INDEX IF NOT EXISTS "idx_artifact_property_int" ON "ArtifactProperty"("name", "is_custom_property", "int_value") WHERE "int_value" IS NOT NULL;
        CREATE INDEX IF NOT EXISTS "idx_artifact_property_double" ON "ArtifactProperty"("name", "is_custom_property", "double_value") WHERE "double_value" IS NOT NULL;
        CREATE INDEX IF NOT EXISTS "idx_artifact_property_string" ON "ArtifactProperty"("name", "is_custom_property", "string_value") WHERE "string_value" IS NOT NULL;
        CREATE INDEX IF NOT EXISTS "idx_execution_property_int" ON "ExecutionProperty"("name", "is_custom_property", "int_value") WHERE "int_value" IS NOT NULL;
        CREATE INDEX IF NOT EXISTS "idx_execution_property_double" ON "ExecutionProperty"("name", "is_custom_property", "double_value") WHERE "double_value" IS NOT NULL;
        CREATE INDEX IF NOT EXISTS "idx_execution_property_string" ON "ExecutionProperty"("name", "is_custom_property", "string_value") WHERE "string_value" IS NOT NULL;
        CREATE INDEX IF NOT EXISTS "idx_context_property_int" ON "ContextProperty"("name", "is_custom_property", "int_value") WHERE "int_value" IS NOT NULL;
        CREATE INDEX IF NOT EXISTS "idx_context_property_double" ON "ContextProperty"("name", "is_custom_property", "double_value") WHERE "double_value" IS NOT NULL;
        CREATE INDEX IF NOT EXISTS "idx_context_property_string" ON "ContextProperty"("name", "is_custom_property", "string_value") WHERE "string_value" IS NOT NULL;
        CREATE INDEX IF NOT EXISTS "idx_type_external_id" ON "Type"("external_id");
        CREATE INDEX IF NOT EXISTS "idx_artifact_external_id" ON "Artifact"("external_id");
        CREATE INDEX IF NOT EXISTS "idx_execution_external_id" ON "Execution"("external_id");
        CREATE INDEX IF NOT EXISTS "idx_context_external_id" ON "Context"("external_id");
        """;

    /// <summary>
    /// The indexes this library adds to MLMD's tables (MLMD ignores indexes it does not know), by name. Each one is
    /// there for a listing that must not grow with the store; what each costs on bulk writes is in the README.
    /// <list type="bullet">
    /// <item>Reverse lookups MLMD lacks: the contexts of an artifact or execution.</item>
    /// <item><c>type_id</c> alone and with each time: a type's nodes in id order or time order (SQLite appends the
    /// rowid to every index entry, so equal keys come out in id order), so a by-type page or <c>type = '...'</c>
    /// reads its page in index order and stops.</item>
    /// <item>The same for artifact <c>state</c> and execution <c>last_known_state</c>.</item>
    /// <item>Property values with the owner id: an equality on one property walks the matching ids in order and
    /// stops at the page size, where MLMD's value indexes hold only the property row.</item>
    /// </list>
    /// </summary>
    public static readonly (string Name, string Sql)[] ExtraIndexes = BuildExtraIndexes();

    /// <summary>Creates every extra index that is missing.</summary>
    public static readonly string CreateExtraIndexes = string.Concat(ExtraIndexes.Select(i => i.Sql + "\n"));

    /// <summary>
    /// Makes concurrent first registrations of one type collide instead of duplicating it; kept apart because an
    /// existing MLMD database may already hold duplicates, which MLMD only prevents in code.
    /// </summary>
    public const string CreateTypeUniqueIndex =
        """CREATE UNIQUE INDEX IF NOT EXISTS "mds_type_kind_name_version" ON "Type"("type_kind", "name", IFNULL("version", ''));""";

    /// <summary>Whether an existing database lacks any of our extra indexes or MLMD's system types (1 when it does).</summary>
    public static readonly string NeedsCompletion = $"""
        SELECT (SELECT COUNT(*) FROM "sqlite_master" WHERE "type" = 'index'
                  AND "name" IN ({string.Join(", ", ExtraIndexes.Select(i => "'" + i.Name + "'"))}, 'mds_type_kind_name_version')) < {ExtraIndexes.Length + 1}
            OR (SELECT COUNT(*) FROM "Type" WHERE "version" IS NULL AND (("type_kind" = 1 AND "name" IN
                  ('mlmd.Dataset', 'mlmd.Model', 'mlmd.Metrics', 'mlmd.Statistics')) OR ("type_kind" = 0 AND "name" IN
                  ('mlmd.Train', 'mlmd.Transform', 'mlmd.Process', 'mlmd.Evaluate', 'mlmd.Deploy')))) < 9;
        """;

    /// <summary>Inserts each system type that is missing.</summary>
    public const string UpsertSystemTypes = """
        WITH s("name", "kind") AS (VALUES
          ('mlmd.Dataset', 1), ('mlmd.Model', 1), ('mlmd.Metrics', 1), ('mlmd.Statistics', 1),
          ('mlmd.Train', 0), ('mlmd.Transform', 0), ('mlmd.Process', 0), ('mlmd.Evaluate', 0), ('mlmd.Deploy', 0))
        INSERT INTO "Type" ("name", "type_kind")
        SELECT s."name", s."kind" FROM s
        WHERE NOT EXISTS (
          SELECT 1 FROM "Type" t WHERE t."name" = s."name" AND t."type_kind" = s."kind" AND t."version" IS NULL);
        """;

    /// <summary>The schema version row of a new database.</summary>
    public const string InsertVersion = """INSERT INTO "MLMDEnv" ("schema_version") VALUES (10);""";

    private static (string Name, string Sql)[] BuildExtraIndexes()
    {
        var indexes = new List<(string, string)>
        {
            Index("mds_attribution_artifact_id", "Attribution", "\"artifact_id\""),
            Index("mds_association_execution_id", "Association", "\"execution_id\""),
        };
        foreach (var (table, prefix, state) in new[] { ("Artifact", "artifact", "state"), ("Execution", "execution", "last_known_state"), ("Context", "context", null) })
        {
            foreach (var (column, suffix) in new[] { ("type_id", "type"), (state, "state") })
            {
                if (column is null)
                {
                    continue;
                }

                indexes.Add(Index($"mds_{prefix}_{suffix}", table, $"\"{column}\""));
                indexes.Add(Index($"mds_{prefix}_{suffix}_create_time", table, $"\"{column}\", \"create_time_since_epoch\""));
                indexes.Add(Index($"mds_{prefix}_{suffix}_update_time", table, $"\"{column}\", \"last_update_time_since_epoch\""));
            }

            var owner = prefix + "_id";
            foreach (var value in new[] { "int", "double", "string", "bool" })
            {
                indexes.Add((
                    $"mds_{prefix}_property_{value}",
                    $"CREATE INDEX IF NOT EXISTS \"mds_{prefix}_property_{value}\" ON \"{table}Property\"(\"name\", \"is_custom_property\", \"{value}_value\", \"{owner}\") WHERE \"{value}_value\" IS NOT NULL;"));
            }
        }

        return [.. indexes];

        static (string, string) Index(string name, string table, string columns) =>
            (name, $"CREATE INDEX IF NOT EXISTS \"{name}\" ON \"{table}\"({columns});");
    }
}
