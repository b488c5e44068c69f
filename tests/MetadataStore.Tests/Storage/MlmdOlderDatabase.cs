using System.Text;

namespace MetadataStore.Tests.Storage;

/// <summary>
/// SQLite databases laid out as MLMD's releases before 1.11 create them (schema 6: MLMD 0.25 to 1.0.x; 7: 1.1 to 1.6;
/// 8: 1.7 to 1.10; 9: the unreleased step before 10), and filled the way those releases write rows. Written here from
/// MLMD's published layout facts, independently from the library's migrations.
/// </summary>
internal static class MlmdOlderDatabase
{
    public const string TrainerInputType = """{"any":{}}""";
    public const string TrainerOutputType = """{"none":{}}""";

    /// <summary>The AUTOINCREMENT high-water mark of Artifact: artifact 3 was written and deleted.</summary>
    public const long DeletedArtifactId = 3;

    /// <summary>The id of the first user type (DataSet; Trainer and Pipeline follow): after the system types from 7 on.</summary>
    public static long FirstUserTypeId(int version) => version >= 7 ? 10 : 1;

    public static void Create(SqliteTestDatabase db, int version)
    {
        if (version is < 6 or > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "MLMD layouts 6 to 9 only.");
        }

        db.Execute(Layout(version));
        Fill(db, version);
    }

    private static string Layout(int version)
    {
        // Version 9 added external_id to the four node tables; 7 added byte_value to the property tables;
        // 8 made (artifact, execution, type) unique in Event.
        var externalId = version >= 9 ? " `external_id` VARCHAR(255) UNIQUE," : string.Empty;
        var typeExternalId = version >= 9 ? ", `external_id` VARCHAR(255) UNIQUE" : string.Empty;
        var byteValue = version >= 7 ? " `byte_value` BLOB," : string.Empty;
        var eventUnique = version >= 8 ? ", UNIQUE(`artifact_id`, `execution_id`, `type`)" : string.Empty;

        var sql = new StringBuilder($"""
            CREATE TABLE IF NOT EXISTS `Type` ( `id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255) NOT NULL,
              `version` VARCHAR(255), `type_kind` TINYINT(1) NOT NULL, `description` TEXT, `input_type` TEXT,
              `output_type` TEXT{typeExternalId} );
            CREATE TABLE IF NOT EXISTS `ParentType` ( `type_id` INT NOT NULL, `parent_type_id` INT NOT NULL,
              PRIMARY KEY (`type_id`, `parent_type_id`));
            CREATE TABLE IF NOT EXISTS `TypeProperty` ( `type_id` INT NOT NULL, `name` VARCHAR(255) NOT NULL,
              `data_type` INT NULL, PRIMARY KEY (`type_id`, `name`));
            CREATE TABLE IF NOT EXISTS `Artifact` ( `id` INTEGER PRIMARY KEY AUTOINCREMENT, `type_id` INT NOT NULL,
              `uri` TEXT, `state` INT, `name` VARCHAR(255),{externalId}
              `create_time_since_epoch` INT NOT NULL DEFAULT 0, `last_update_time_since_epoch` INT NOT NULL DEFAULT 0,
              UNIQUE(`type_id`, `name`) );
            CREATE TABLE IF NOT EXISTS `ArtifactProperty` ( `artifact_id` INT NOT NULL, `name` VARCHAR(255) NOT NULL,
              `is_custom_property` TINYINT(1) NOT NULL, `int_value` INT, `double_value` DOUBLE, `string_value` TEXT,{byteValue}
              PRIMARY KEY (`artifact_id`, `name`, `is_custom_property`));
            CREATE TABLE IF NOT EXISTS `Execution` ( `id` INTEGER PRIMARY KEY AUTOINCREMENT, `type_id` INT NOT NULL,
              `last_known_state` INT, `name` VARCHAR(255),{externalId}
              `create_time_since_epoch` INT NOT NULL DEFAULT 0, `last_update_time_since_epoch` INT NOT NULL DEFAULT 0,
              UNIQUE(`type_id`, `name`) );
            CREATE TABLE IF NOT EXISTS `ExecutionProperty` ( `execution_id` INT NOT NULL, `name` VARCHAR(255) NOT NULL,
              `is_custom_property` TINYINT(1) NOT NULL, `int_value` INT, `double_value` DOUBLE, `string_value` TEXT,{byteValue}
              PRIMARY KEY (`execution_id`, `name`, `is_custom_property`));
            CREATE TABLE IF NOT EXISTS `Context` ( `id` INTEGER PRIMARY KEY AUTOINCREMENT, `type_id` INT NOT NULL,
              `name` VARCHAR(255) NOT NULL,{externalId}
              `create_time_since_epoch` INT NOT NULL DEFAULT 0, `last_update_time_since_epoch` INT NOT NULL DEFAULT 0,
              UNIQUE(`type_id`, `name`) );
            CREATE TABLE IF NOT EXISTS `ContextProperty` ( `context_id` INT NOT NULL, `name` VARCHAR(255) NOT NULL,
              `is_custom_property` TINYINT(1) NOT NULL, `int_value` INT, `double_value` DOUBLE, `string_value` TEXT,{byteValue}
              PRIMARY KEY (`context_id`, `name`, `is_custom_property`));
            CREATE TABLE IF NOT EXISTS `ParentContext` ( `context_id` INT NOT NULL, `parent_context_id` INT NOT NULL,
              PRIMARY KEY (`context_id`, `parent_context_id`));
            CREATE TABLE IF NOT EXISTS `Event` ( `id` INTEGER PRIMARY KEY AUTOINCREMENT, `artifact_id` INT NOT NULL,
              `execution_id` INT NOT NULL, `type` INT NOT NULL, `milliseconds_since_epoch` INT{eventUnique} );
            CREATE TABLE IF NOT EXISTS `EventPath` ( `event_id` INT NOT NULL, `is_index_step` TINYINT(1) NOT NULL,
              `step_index` INT, `step_key` TEXT );
            CREATE TABLE IF NOT EXISTS `Association` ( `id` INTEGER PRIMARY KEY AUTOINCREMENT, `context_id` INT NOT NULL,
              `execution_id` INT NOT NULL, UNIQUE(`context_id`, `execution_id`) );
            CREATE TABLE IF NOT EXISTS `Attribution` ( `id` INTEGER PRIMARY KEY AUTOINCREMENT, `context_id` INT NOT NULL,
              `artifact_id` INT NOT NULL, UNIQUE(`context_id`, `artifact_id`) );
            CREATE TABLE IF NOT EXISTS `MLMDEnv` ( `schema_version` INTEGER PRIMARY KEY );
            INSERT INTO `MLMDEnv`(`schema_version`) VALUES({version});
            CREATE INDEX IF NOT EXISTS `idx_artifact_uri` ON `Artifact`(`uri`);
            CREATE INDEX IF NOT EXISTS `idx_artifact_create_time_since_epoch` ON `Artifact`(`create_time_since_epoch`);
            CREATE INDEX IF NOT EXISTS `idx_artifact_last_update_time_since_epoch` ON `Artifact`(`last_update_time_since_epoch`);
            CREATE INDEX IF NOT EXISTS `idx_event_execution_id` ON `Event`(`execution_id`);
            CREATE INDEX IF NOT EXISTS `idx_parentcontext_parent_context_id` ON `ParentContext`(`parent_context_id`);
            CREATE INDEX IF NOT EXISTS `idx_type_name` ON `Type`(`name`);
            CREATE INDEX IF NOT EXISTS `idx_execution_create_time_since_epoch` ON `Execution`(`create_time_since_epoch`);
            CREATE INDEX IF NOT EXISTS `idx_execution_last_update_time_since_epoch` ON `Execution`(`last_update_time_since_epoch`);
            CREATE INDEX IF NOT EXISTS `idx_context_create_time_since_epoch` ON `Context`(`create_time_since_epoch`);
            CREATE INDEX IF NOT EXISTS `idx_context_last_update_time_since_epoch` ON `Context`(`last_update_time_since_epoch`);

            """);

        // Until 8 Event also had an index on artifact_id; the unique key replaced it.
        if (version < 8)
        {
            sql.Append("CREATE INDEX IF NOT EXISTS `idx_event_artifact_id` ON `Event`(`artifact_id`);\n");
        }

        if (version >= 7)
        {
            sql.Append("CREATE INDEX IF NOT EXISTS `idx_eventpath_event_id` ON `EventPath`(`event_id`);\n");
        }

        if (version >= 8)
        {
            foreach (var (table, prefix) in new[] { ("ArtifactProperty", "artifact"), ("ExecutionProperty", "execution"), ("ContextProperty", "context") })
            {
                foreach (var kind in new[] { "int", "double", "string" })
                {
                    sql.Append($"CREATE INDEX IF NOT EXISTS `idx_{prefix}_property_{kind}` ON `{table}`(`name`, `is_custom_property`, `{kind}_value`) WHERE `{kind}_value` IS NOT NULL;\n");
                }
            }
        }

        if (version >= 9)
        {
            sql.Append("""
                CREATE INDEX IF NOT EXISTS `idx_type_external_id` ON `Type`(`external_id`);
                CREATE INDEX IF NOT EXISTS `idx_artifact_external_id` ON `Artifact`(`external_id`);
                CREATE INDEX IF NOT EXISTS `idx_execution_external_id` ON `Execution`(`external_id`);
                CREATE INDEX IF NOT EXISTS `idx_context_external_id` ON `Context`(`external_id`);

                """);
        }

        return sql.ToString();
    }

    private static void Fill(SqliteTestDatabase db, int version)
    {
        // MLMD 1.1 and later upsert their nine system types on every connection, so they take ids 1 to 9; MLMD 1.0
        // had none.
        var sql = new StringBuilder();
        if (version >= 7)
        {
            sql.Append("""
                INSERT INTO `Type`(`name`, `type_kind`) VALUES ('mlmd.Dataset', 1), ('mlmd.Model', 1), ('mlmd.Metrics', 1),
                  ('mlmd.Statistics', 1), ('mlmd.Train', 0), ('mlmd.Transform', 0), ('mlmd.Process', 0), ('mlmd.Evaluate', 0),
                  ('mlmd.Deploy', 0);

                """);
        }

        var ds = FirstUserTypeId(version);
        var tr = ds + 1;
        var pl = ds + 2;

        // MLMD binds every value into the SQL text: strings quoted, doubles with six decimals, Struct base64-encoded
        // behind its prefix in string_value. Before 10 there were no PROTO or BOOLEAN properties, and byte_value was
        // never written.
        var structText = "mlmd-struct::" + Convert.ToBase64String(MlmdWrittenDatabase.StructBytes);
        var typeExternal = version >= 9 ? "'type-ext-1'" : "NULL";
        var typeExternalColumn = version >= 9 ? ", `external_id`" : string.Empty;
        var typeExternalValue = version >= 9 ? $", {typeExternal}" : string.Empty;
        sql.Append($"""
            INSERT INTO `Type`(`name`, `type_kind`, `version`, `description`{typeExternalColumn}) VALUES ('DataSet', 1, NULL, 'a data set'{typeExternalValue});
            INSERT INTO `TypeProperty`(`type_id`, `name`, `data_type`) VALUES ({ds}, 'split', 3), ({ds}, 'config', 4), ({ds}, 'count', 1), ({ds}, 'score', 2);
            INSERT INTO `Type`(`name`, `type_kind`, `version`, `description`, `input_type`, `output_type`)
              VALUES ('Trainer', 0, 'v1', NULL, '{TrainerInputType}', '{TrainerOutputType}');
            INSERT INTO `TypeProperty`(`type_id`, `name`, `data_type`) VALUES ({tr}, 'epochs', 1);
            INSERT INTO `Type`(`name`, `type_kind`, `version`, `description`) VALUES ('Pipeline', 2, NULL, NULL);
            INSERT INTO `TypeProperty`(`type_id`, `name`, `data_type`) VALUES ({pl}, 'owner', 3);

            """);
        if (version >= 7)
        {
            sql.Append($"INSERT INTO `ParentType`(`type_id`, `parent_type_id`) VALUES ({ds}, 1), ({tr}, 5);\n");
        }

        var nodeExternal = version >= 9 ? ", `external_id`" : string.Empty;
        string Ext(string? value) => version >= 9 ? (value is null ? ", NULL" : $", '{value}'") : string.Empty;
        sql.Append($"""
            INSERT INTO `Artifact`(`type_id`, `uri`, `state`, `name`{nodeExternal}, `create_time_since_epoch`, `last_update_time_since_epoch`)
              VALUES ({ds}, '', NULL, 'a1'{Ext(null)}, 1600000000001, 1600000000002);
            INSERT INTO `Artifact`(`type_id`, `uri`, `state`, `name`{nodeExternal}, `create_time_since_epoch`, `last_update_time_since_epoch`)
              VALUES ({ds}, 'file:///data/2', 2, NULL{Ext("art-ext-2")}, 1600000000003, 1600000000004);
            INSERT INTO `Artifact`(`type_id`, `uri`, `state`, `name`, `create_time_since_epoch`, `last_update_time_since_epoch`)
              VALUES ({ds}, 'file:///data/3', 4, 'gone', 1600000000005, 1600000000005);
            DELETE FROM `Artifact` WHERE `id` = 3;
            INSERT INTO `ArtifactProperty`(`artifact_id`, `name`, `is_custom_property`, `string_value`) VALUES (1, 'split', 0, 'train');
            INSERT INTO `ArtifactProperty`(`artifact_id`, `name`, `is_custom_property`, `string_value`) VALUES (1, 'config', 0, '{structText}');
            INSERT INTO `ArtifactProperty`(`artifact_id`, `name`, `is_custom_property`, `int_value`) VALUES (1, 'count', 0, 7);
            INSERT INTO `ArtifactProperty`(`artifact_id`, `name`, `is_custom_property`, `double_value`) VALUES (1, 'score', 0, 0.250000);
            INSERT INTO `ArtifactProperty`(`artifact_id`, `name`, `is_custom_property`, `string_value`) VALUES (1, 'note', 1, 'hello');
            INSERT INTO `ArtifactProperty`(`artifact_id`, `name`, `is_custom_property`, `int_value`) VALUES (2, 'count', 0, 9);

            INSERT INTO `Execution`(`type_id`, `last_known_state`, `name`{nodeExternal}, `create_time_since_epoch`, `last_update_time_since_epoch`)
              VALUES ({tr}, 3, 'run-1'{Ext("exec-ext-1")}, 1600000000010, 1600000000011);
            INSERT INTO `ExecutionProperty`(`execution_id`, `name`, `is_custom_property`, `int_value`) VALUES (1, 'epochs', 0, 3);
            INSERT INTO `ExecutionProperty`(`execution_id`, `name`, `is_custom_property`, `string_value`) VALUES (1, 'cached', 1, 'no');

            INSERT INTO `Context`(`type_id`, `name`{nodeExternal}, `create_time_since_epoch`, `last_update_time_since_epoch`)
              VALUES ({pl}, 'pipeline-1'{Ext("ctx-ext-1")}, 1600000000020, 1600000000021);
            INSERT INTO `Context`(`type_id`, `name`{nodeExternal}, `create_time_since_epoch`, `last_update_time_since_epoch`)
              VALUES ({pl}, 'run-of-pipeline-1'{Ext(null)}, 1600000000022, 1600000000023);
            INSERT INTO `ContextProperty`(`context_id`, `name`, `is_custom_property`, `string_value`) VALUES (1, 'owner', 0, 'team-a');
            INSERT INTO `ContextProperty`(`context_id`, `name`, `is_custom_property`, `double_value`) VALUES (1, 'budget', 1, 12.500000);
            INSERT INTO `ParentContext`(`context_id`, `parent_context_id`) VALUES (2, 1);
            INSERT INTO `Attribution`(`context_id`, `artifact_id`) VALUES (1, 1);
            INSERT INTO `Attribution`(`context_id`, `artifact_id`) VALUES (2, 2);
            INSERT INTO `Association`(`context_id`, `execution_id`) VALUES (1, 1);

            INSERT INTO `Event`(`artifact_id`, `execution_id`, `type`, `milliseconds_since_epoch`) VALUES (1, 1, 3, 1600000000030);
            INSERT INTO `EventPath`(`event_id`, `is_index_step`, `step_index`, `step_key`) VALUES (1, 0, NULL, 'examples');
            INSERT INTO `EventPath`(`event_id`, `is_index_step`, `step_index`, `step_key`) VALUES (1, 1, 0, NULL);

            """);

        // Before 8 nothing stopped a second event of the same artifact, execution and type; the upgrade keeps the newest.
        if (version < 8)
        {
            sql.Append("""
                INSERT INTO `Event`(`artifact_id`, `execution_id`, `type`, `milliseconds_since_epoch`) VALUES (2, 1, 4, 1600000000031);
                INSERT INTO `EventPath`(`event_id`, `is_index_step`, `step_index`, `step_key`) VALUES (2, 0, NULL, 'stale');

                """);
        }

        sql.Append("""
            INSERT INTO `Event`(`artifact_id`, `execution_id`, `type`, `milliseconds_since_epoch`) VALUES (2, 1, 4, 1600000000032);
            INSERT INTO `EventPath`(`event_id`, `is_index_step`, `step_index`, `step_key`) SELECT MAX(`id`), 1, 3, NULL FROM `Event`;
            INSERT INTO `EventPath`(`event_id`, `is_index_step`, `step_index`, `step_key`) SELECT MAX(`id`), 0, NULL, 'model' FROM `Event`;
            """);
        db.Execute(sql.ToString());
    }
}
