using System.Text;

namespace MetadataStore.Tests.Storage;

/// <summary>
/// A SQLite database laid out and filled the way MLMD itself does it (schema v10, without this library's extras),
/// written here independently from the library's own catalogue.
/// </summary>
internal static class MlmdWrittenDatabase
{
    public const string ProtoTypeUrl = "type.googleapis.com/google.protobuf.Int64Value";

    /// <summary>{"a": 1.5, "b": "x", "l": [true, null]} as a serialized google.protobuf.Struct, byte by byte.</summary>
    public static readonly byte[] StructBytes =
    [
        // fields entry: key "a", value { number_value (field 2, fixed64) = 1.5 }
        0x0A, 0x0E, 0x0A, 0x01, (byte)'a', 0x12, 0x09, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F,
        // fields entry: key "b", value { string_value (field 3) = "x" }
        0x0A, 0x08, 0x0A, 0x01, (byte)'b', 0x12, 0x03, 0x1A, 0x01, (byte)'x',
        // fields entry: key "l", value { list_value (field 6) = [ { bool_value = true }, { null_value = 0 } ] }
        0x0A, 0x0F, 0x0A, 0x01, (byte)'l', 0x12, 0x0A, 0x32, 0x08, 0x0A, 0x02, 0x20, 0x01, 0x0A, 0x02, 0x08, 0x00,
    ];

    public const string StructJson = """{"a":1.5,"b":"x","l":[true,null]}""";

    /// <summary>The packed message: google.protobuf.Int64Value { value = 42 }.</summary>
    public static readonly byte[] ProtoMessage = [0x08, 0x2A];

    /// <summary>google.protobuf.Any { type_url = ProtoTypeUrl, value = ProtoMessage }.</summary>
    public static byte[] AnyBytes()
    {
        var url = Encoding.UTF8.GetBytes(ProtoTypeUrl);
        return [0x0A, (byte)url.Length, .. url, 0x12, (byte)ProtoMessage.Length, .. ProtoMessage];
    }

    public static void Create(SqliteTestDatabase db)
    {
        db.Execute("""
            CREATE TABLE IF NOT EXISTS `Type` ( `id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255) NOT NULL,
              `version` VARCHAR(255), `type_kind` TINYINT(1) NOT NULL, `description` TEXT, `input_type` TEXT,
              `output_type` TEXT, `external_id` VARCHAR(255) UNIQUE );
            CREATE TABLE IF NOT EXISTS `ParentType` ( `type_id` INT NOT NULL, `parent_type_id` INT NOT NULL,
              PRIMARY KEY (`type_id`, `parent_type_id`));
            CREATE TABLE IF NOT EXISTS `TypeProperty` ( `type_id` INT NOT NULL, `name` VARCHAR(255) NOT NULL,
              `data_type` INT NULL, PRIMARY KEY (`type_id`, `name`));
            CREATE TABLE IF NOT EXISTS `Artifact` ( `id` INTEGER PRIMARY KEY AUTOINCREMENT, `type_id` INT NOT NULL,
              `uri` TEXT, `state` INT, `name` VARCHAR(255), `external_id` VARCHAR(255) UNIQUE,
              `create_time_since_epoch` INT NOT NULL DEFAULT 0, `last_update_time_since_epoch` INT NOT NULL DEFAULT 0,
              UNIQUE(`type_id`, `name`) );
            CREATE TABLE IF NOT EXISTS `ArtifactProperty` ( `artifact_id` INT NOT NULL, `name` VARCHAR(255) NOT NULL,
              `is_custom_property` TINYINT(1) NOT NULL, `int_value` INT, `double_value` DOUBLE, `string_value` TEXT,
              `byte_value` BLOB, `proto_value` BLOB, `bool_value` BOOLEAN,
              PRIMARY KEY (`artifact_id`, `name`, `is_custom_property`));
            CREATE TABLE IF NOT EXISTS `Execution` ( `id` INTEGER PRIMARY KEY AUTOINCREMENT, `type_id` INT NOT NULL,
              `last_known_state` INT, `name` VARCHAR(255), `external_id` VARCHAR(255) UNIQUE,
              `create_time_since_epoch` INT NOT NULL DEFAULT 0, `last_update_time_since_epoch` INT NOT NULL DEFAULT 0,
              UNIQUE(`type_id`, `name`) );
            CREATE TABLE IF NOT EXISTS `ExecutionProperty` ( `execution_id` INT NOT NULL, `name` VARCHAR(255) NOT NULL,
              `is_custom_property` TINYINT(1) NOT NULL, `int_value` INT, `double_value` DOUBLE, `string_value` TEXT,
              `byte_value` BLOB, `proto_value` BLOB, `bool_value` BOOLEAN,
              PRIMARY KEY (`execution_id`, `name`, `is_custom_property`));
            CREATE TABLE IF NOT EXISTS `Context` ( `id` INTEGER PRIMARY KEY AUTOINCREMENT, `type_id` INT NOT NULL,
              `name` VARCHAR(255) NOT NULL, `external_id` VARCHAR(255) UNIQUE,
              `create_time_since_epoch` INT NOT NULL DEFAULT 0, `last_update_time_since_epoch` INT NOT NULL DEFAULT 0,
              UNIQUE(`type_id`, `name`) );
            CREATE TABLE IF NOT EXISTS `ContextProperty` ( `context_id` INT NOT NULL, `name` VARCHAR(255) NOT NULL,
              `is_custom_property` TINYINT(1) NOT NULL, `int_value` INT, `double_value` DOUBLE, `string_value` TEXT,
              `byte_value` BLOB, `proto_value` BLOB, `bool_value` BOOLEAN,
              PRIMARY KEY (`context_id`, `name`, `is_custom_property`));
            CREATE TABLE IF NOT EXISTS `ParentContext` ( `context_id` INT NOT NULL, `parent_context_id` INT NOT NULL,
              PRIMARY KEY (`context_id`, `parent_context_id`));
            CREATE TABLE IF NOT EXISTS `Event` ( `id` INTEGER PRIMARY KEY AUTOINCREMENT, `artifact_id` INT NOT NULL,
              `execution_id` INT NOT NULL, `type` INT NOT NULL, `milliseconds_since_epoch` INT,
              UNIQUE(`artifact_id`, `execution_id`, `type`) );
            CREATE TABLE IF NOT EXISTS `EventPath` ( `event_id` INT NOT NULL, `is_index_step` TINYINT(1) NOT NULL,
              `step_index` INT, `step_key` TEXT );
            CREATE TABLE IF NOT EXISTS `Association` ( `id` INTEGER PRIMARY KEY AUTOINCREMENT, `context_id` INT NOT NULL,
              `execution_id` INT NOT NULL, UNIQUE(`context_id`, `execution_id`) );
            CREATE TABLE IF NOT EXISTS `Attribution` ( `id` INTEGER PRIMARY KEY AUTOINCREMENT, `context_id` INT NOT NULL,
              `artifact_id` INT NOT NULL, UNIQUE(`context_id`, `artifact_id`) );
            CREATE TABLE IF NOT EXISTS `MLMDEnv` ( `schema_version` INTEGER PRIMARY KEY );
            INSERT INTO `MLMDEnv`(`schema_version`) VALUES(10);
            CREATE INDEX IF NOT EXISTS `idx_artifact_uri` ON `Artifact`(`uri`);
            CREATE INDEX IF NOT EXISTS `idx_event_execution_id` ON `Event`(`execution_id`);
            CREATE INDEX IF NOT EXISTS `idx_eventpath_event_id` ON `EventPath`(`event_id`);
            CREATE INDEX IF NOT EXISTS `idx_type_name` ON `Type`(`name`);
            """);

        // MLMD binds every value into the SQL text: strings quoted, doubles with six decimals, bools as 1/0,
        // Struct and Any base64-encoded inside quoted literals.
        var structText = "mlmd-struct::" + Convert.ToBase64String(StructBytes);
        var anyText = Convert.ToBase64String(AnyBytes());
        db.Execute($$$"""
            INSERT INTO `Type`(`name`, `type_kind`) VALUES ('mlmd.Dataset', 1), ('mlmd.Model', 1), ('mlmd.Metrics', 1),
              ('mlmd.Statistics', 1), ('mlmd.Train', 0), ('mlmd.Transform', 0), ('mlmd.Process', 0), ('mlmd.Evaluate', 0),
              ('mlmd.Deploy', 0);
            INSERT INTO `Type`(`name`, `type_kind`, `version`, `description`, `external_id`) VALUES ('DataSet', 1, NULL, 'a data set', 'type-ext-1');
            INSERT INTO `TypeProperty`(`type_id`, `name`, `data_type`) VALUES (10, 'split', 3), (10, 'config', 4), (10, 'blob', 5),
              (10, 'count', 1), (10, 'score', 2), (10, 'ok', 6);
            INSERT INTO `ParentType`(`type_id`, `parent_type_id`) VALUES (10, 1);
            INSERT INTO `Type`(`name`, `type_kind`, `version`, `description`, `input_type`, `output_type`, `external_id`)
              VALUES ('Trainer', 0, 'v1', NULL, '{"any":{}}', '{"none":{}}', NULL);
            INSERT INTO `ParentType`(`type_id`, `parent_type_id`) VALUES (11, 5);
            INSERT INTO `TypeProperty`(`type_id`, `name`, `data_type`) VALUES (11, 'epochs', 1);
            INSERT INTO `Type`(`name`, `type_kind`, `version`, `description`, `external_id`) VALUES ('Pipeline', 2, NULL, NULL, NULL);

            INSERT INTO `Artifact`(`type_id`, `uri`, `state`, `name`, `external_id`, `create_time_since_epoch`, `last_update_time_since_epoch`)
              VALUES (10, '', NULL, 'a1', NULL, 1700000000001, 1700000000002);
            INSERT INTO `Artifact`(`type_id`, `uri`, `state`, `name`, `external_id`, `create_time_since_epoch`, `last_update_time_since_epoch`)
              VALUES (10, 'file:///data/2', 2, NULL, 'art-ext-2', 1700000000003, 1700000000004);
            INSERT INTO `ArtifactProperty`(`artifact_id`, `name`, `is_custom_property`, `string_value`) VALUES (1, 'split', 0, 'train');
            INSERT INTO `ArtifactProperty`(`artifact_id`, `name`, `is_custom_property`, `string_value`) VALUES (1, 'config', 0, '{{{structText}}}');
            INSERT INTO `ArtifactProperty`(`artifact_id`, `name`, `is_custom_property`, `proto_value`) VALUES (1, 'blob', 0, '{{{anyText}}}');
            INSERT INTO `ArtifactProperty`(`artifact_id`, `name`, `is_custom_property`, `int_value`) VALUES (1, 'count', 0, 7);
            INSERT INTO `ArtifactProperty`(`artifact_id`, `name`, `is_custom_property`, `double_value`) VALUES (1, 'score', 0, 0.250000);
            INSERT INTO `ArtifactProperty`(`artifact_id`, `name`, `is_custom_property`, `bool_value`) VALUES (1, 'ok', 1, 1);
            INSERT INTO `ArtifactProperty`(`artifact_id`, `name`, `is_custom_property`, `string_value`) VALUES (1, 'note', 1, 'hello');

            INSERT INTO `Execution`(`type_id`, `last_known_state`, `name`, `external_id`, `create_time_since_epoch`, `last_update_time_since_epoch`)
              VALUES (11, NULL, 'run-1', NULL, 1700000000010, 1700000000011);
            INSERT INTO `ExecutionProperty`(`execution_id`, `name`, `is_custom_property`, `int_value`) VALUES (1, 'epochs', 0, 3);
            INSERT INTO `ExecutionProperty`(`execution_id`, `name`, `is_custom_property`, `bool_value`) VALUES (1, 'cached', 1, 0);

            INSERT INTO `Context`(`type_id`, `name`, `external_id`, `create_time_since_epoch`, `last_update_time_since_epoch`)
              VALUES (12, 'pipeline-1', 'ctx-ext-1', 1700000000020, 1700000000021);
            INSERT INTO `Context`(`type_id`, `name`, `external_id`, `create_time_since_epoch`, `last_update_time_since_epoch`)
              VALUES (12, 'run-of-pipeline-1', NULL, 1700000000022, 1700000000023);
            INSERT INTO `ContextProperty`(`context_id`, `name`, `is_custom_property`, `double_value`) VALUES (1, 'budget', 1, 12.500000);
            INSERT INTO `ParentContext`(`context_id`, `parent_context_id`) VALUES (2, 1);
            INSERT INTO `Attribution`(`context_id`, `artifact_id`) VALUES (1, 1);
            INSERT INTO `Association`(`context_id`, `execution_id`) VALUES (1, 1);

            INSERT INTO `Event`(`artifact_id`, `execution_id`, `type`, `milliseconds_since_epoch`) VALUES (1, 1, 3, 1700000000030);
            INSERT INTO `EventPath`(`event_id`, `is_index_step`, `step_index`, `step_key`) VALUES (1, 0, NULL, 'examples');
            INSERT INTO `EventPath`(`event_id`, `is_index_step`, `step_index`, `step_key`) VALUES (1, 1, 0, NULL);
            INSERT INTO `Event`(`artifact_id`, `execution_id`, `type`, `milliseconds_since_epoch`) VALUES (2, 1, 4, 1700000000031);
            INSERT INTO `EventPath`(`event_id`, `is_index_step`, `step_index`, `step_key`) VALUES (2, 1, 3, NULL);
            INSERT INTO `EventPath`(`event_id`, `is_index_step`, `step_index`, `step_key`) VALUES (2, 0, NULL, 'model');
            """);
    }
}
