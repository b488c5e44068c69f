using Microsoft.Data.Sqlite;

namespace MetadataStore.Benchmarks;

/// <summary>A node row with its property rows, as the baseline reads it.</summary>
internal sealed class RawNode
{
    public long Id;
    public long TypeId;
    public string TypeName = string.Empty;
    public string? Uri;
    public int? State;
    public string? Name;
    public string? ExternalId;
    public long CreateTime;
    public long LastUpdateTime;
    public List<RawProperty> Properties = new(5);
}

/// <summary>One property row, as the baseline reads it.</summary>
internal readonly record struct RawProperty(string Name, bool IsCustom, long? Int, double? Double, string? String, byte[]? Proto, bool? Bool);

/// <summary>
/// The physical limit: raw Microsoft.Data.Sqlite doing the library's writes and reads on the library's tables and
/// indexes, with prepared commands reused inside one transaction per unit of work, WAL and synchronous=NORMAL.
/// </summary>
internal sealed class RawStore : IDisposable
{
    // Of IN chunks of 32 to 1024 sorted ids, contiguous BETWEEN ranges filtered in memory, and one json_each list,
    // chunks of 64 were fastest (ranges lose badly: at 1 id in 10 they read ten times the rows).
    private const int ReadChunk = 64;

    // Type is LEFT JOINed so the planner keeps the artifact table as the outer loop, as the library's statements do.
    private const string NodeColumns = """
        a."id", a."type_id", t."name", a."uri", a."state", a."name", a."external_id", a."create_time_since_epoch", a."last_update_time_since_epoch"
        """;

    private const string PropertyColumns = """
        "artifact_id", "name", "is_custom_property", "int_value", "double_value", "string_value", "proto_value", "bool_value"
        """;

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private SqliteTransaction? _tx;

    private RawStore(SqliteConnection connection) => _connection = connection;

    public long DatasetTypeId { get; private set; }

    public long ModelTypeId { get; private set; }

    public long TrainerTypeId { get; private set; }

    public long PipelineTypeId { get; private set; }

    /// <summary>
    /// Opens a store file the library created, with the library's page cache unless <paramref name="cacheSizeKib"/> is
    /// given, so both sides of a ratio read through caches of the same size.
    /// </summary>
    public static RawStore Open(string path, int cacheSizeKib = 0)
    {
        var connection = new SqliteConnection(ConnectionString(path));
        connection.Open();
        Exec(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        var kib = cacheSizeKib > 0 ? cacheSizeKib : SqliteMetadataStoreBuilderExtensions.DefaultPageCacheMebibytes * 1024;
        Exec(connection, $"PRAGMA cache_size = -{kib};");

        using (var check = connection.CreateCommand())
        {
            check.CommandText = "PRAGMA journal_mode; PRAGMA synchronous;";
            using var reader = check.ExecuteReader();
            reader.Read();
            var mode = reader.GetString(0);
            reader.NextResult();
            reader.Read();
            var sync = reader.GetInt64(0);
            if (mode != "wal" || sync != 1)
            {
                throw new InvalidOperationException($"The baseline runs with journal_mode={mode}, synchronous={sync}; expected wal and NORMAL (1).");
            }
        }

        return new RawStore(connection);
    }

    public static string ConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ConnectionString;

    /// <summary>What an application does to open an existing store by hand: connect, set the pragmas, check the schema version and tables.</summary>
    public static void OpenAndCheck(string path)
    {
        using var connection = new SqliteConnection(ConnectionString(path));
        connection.Open();
        Exec(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        using var check = connection.CreateCommand();
        check.CommandText = """
            SELECT (SELECT "schema_version" FROM "MLMDEnv"),
                   (SELECT COUNT(*) FROM "sqlite_master" WHERE "type" = 'table' AND "name" IN
                     ('Type','TypeProperty','ParentType','Artifact','ArtifactProperty','Execution','ExecutionProperty',
                      'Context','ContextProperty','Event','EventPath','ParentContext','Association','Attribution','MLMDEnv'));
            """;
        using var reader = check.ExecuteReader();
        if (!reader.Read() || reader.GetInt64(0) != 10 || reader.GetInt64(1) != 15)
        {
            throw new InvalidOperationException("Not an MLMD v10 store.");
        }
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _tx?.Dispose();
        _connection.Dispose();
    }

    /// <summary>Finds the benchmark's types, creating the Type and TypeProperty rows (as the library writes them) when missing.</summary>
    public void EnsureTypes()
    {
        Begin(write: true);
        DatasetTypeId = EnsureType(Workload.DatasetType, TypeKind.Artifact, Workload.DatasetProperties);
        ModelTypeId = EnsureType(Workload.ModelType, TypeKind.Artifact, Workload.ModelProperties);
        TrainerTypeId = EnsureType(Workload.TrainerType, TypeKind.Execution, Workload.TrainerProperties);
        PipelineTypeId = EnsureType(Workload.PipelineType, TypeKind.Context, []);
        Commit();
    }

    /// <summary>Inserts datasets <paramref name="first"/> .. first+count-1, one transaction per <paramref name="batch"/>.</summary>
    public void BulkInsert(long first, long count, int batch)
    {
        for (var start = first; start < first + count; start += batch)
        {
            var end = Math.Min(first + count, start + batch);
            var now = Now();
            Begin(write: true);
            for (var n = start; n < end; n++)
            {
                InsertDataset(n, now);
            }

            Commit();
        }
    }

    /// <summary>
    /// Fills a new store fast (not a measured path): no journal, no syncs, one transaction, and the secondary indexes
    /// of the artifact tables dropped first and re-created afterwards from their own stored SQL, so the schema ends identical.
    /// </summary>
    public void BulkLoad(long count)
    {
        var indexes = new List<(string Name, string Sql)>();
        using (var list = _connection.CreateCommand())
        {
            list.CommandText = """SELECT "name", "sql" FROM "sqlite_master" WHERE "type" = 'index' AND "tbl_name" IN ('Artifact', 'ArtifactProperty') AND "sql" IS NOT NULL""";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Exec(_connection, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;");
        foreach (var (name, _) in indexes)
        {
            Exec(_connection, $"DROP INDEX \"{name}\";");
        }

        BulkInsert(0, count, (int)Math.Min(count, int.MaxValue));
        foreach (var (_, sql) in indexes)
        {
            Exec(_connection, sql);
        }

        Exec(_connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    }

    /// <summary>One publish, as PutExecutionAsync does it: output artifact, execution, events with paths, context reuse, association and attributions.</summary>
    public long Publish(long n, long input1, long input2)
    {
        var now = Now();
        Begin(write: true);

        var model = InsertArtifact(ModelTypeId, Workload.ModelUri(n), null, now);
        InsertInt("ArtifactProperty", "artifact_id", model, "epoch", Workload.Epoch(n));
        InsertInt("ArtifactProperty", "artifact_id", model, "size_bytes", Workload.SizeBytes(n));
        InsertDouble("ArtifactProperty", "artifact_id", model, "accuracy", Workload.Accuracy(n));
        InsertString("ArtifactProperty", "artifact_id", model, "framework", Workload.Framework);
        InsertString("ArtifactProperty", "artifact_id", model, "format", Workload.ModelFormat);

        var insertExecution = Command("""
            INSERT INTO "Execution" ("type_id", "last_known_state", "name", "external_id", "create_time_since_epoch", "last_update_time_since_epoch")
            VALUES ($type, $state, NULL, NULL, $now, $now)
            """, "$type", "$state", "$now");
        Bind(insertExecution, TrainerTypeId, (int)ExecutionState.Complete, now);
        insertExecution.ExecuteNonQuery();
        var execution = LastRowId();
        InsertInt("ExecutionProperty", "execution_id", execution, "epochs", Workload.Epochs(n));
        InsertInt("ExecutionProperty", "execution_id", execution, "seed", n);
        InsertDouble("ExecutionProperty", "execution_id", execution, "learning_rate", Workload.LearningRate(n));
        InsertDouble("ExecutionProperty", "execution_id", execution, "loss", Workload.Loss(n));
        InsertString("ExecutionProperty", "execution_id", execution, "optimizer", Workload.Optimizer);

        // The inputs are referenced by id: check they exist.
        var exists = Command("""SELECT COUNT(*) FROM "Artifact" WHERE "id" IN ($a, $b)""", "$a", "$b");
        Bind(exists, input1, input2);
        if ((long)exists.ExecuteScalar()! != 2)
        {
            throw new InvalidOperationException("Missing input artifact.");
        }

        InsertEvent(input1, execution, EventType.Input, Workload.InputRole, now);
        InsertEvent(input2, execution, EventType.Input, Workload.InputRole, now);
        InsertEvent(model, execution, EventType.Output, Workload.OutputRole, now);

        var findContext = Command("""SELECT "id" FROM "Context" WHERE "type_id" = $type AND "name" = $name""", "$type", "$name");
        Bind(findContext, PipelineTypeId, Workload.PipelineRun);
        long context;
        if (findContext.ExecuteScalar() is long found)
        {
            context = found;
        }
        else
        {
            var insertContext = Command("""
                INSERT INTO "Context" ("type_id", "name", "external_id", "create_time_since_epoch", "last_update_time_since_epoch")
                VALUES ($type, $name, NULL, $now, $now)
                """, "$type", "$name", "$now");
            Bind(insertContext, PipelineTypeId, Workload.PipelineRun, now);
            insertContext.ExecuteNonQuery();
            context = LastRowId();
        }

        var associate = Command("""INSERT OR IGNORE INTO "Association" ("context_id", "execution_id") VALUES ($c, $e)""", "$c", "$e");
        Bind(associate, context, execution);
        associate.ExecuteNonQuery();
        var attribute = Command("""INSERT OR IGNORE INTO "Attribution" ("context_id", "artifact_id") VALUES ($c, $a)""", "$c", "$a");
        foreach (var artifact in (ReadOnlySpan<long>)[input1, input2, model])
        {
            Bind(attribute, context, artifact);
            attribute.ExecuteNonQuery();
        }

        Commit();
        return execution;
    }

    /// <summary>
    /// Reads artifacts with their type names and properties by id, in one read transaction: the ids sorted, then
    /// read <see cref="ReadChunk"/> at a time through IN lists, so each chunk walks one region of both tables.
    /// </summary>
    public List<RawNode> ReadByIds(IReadOnlyList<long> given)
    {
        var ids = given.ToArray();
        Array.Sort(ids);
        var nodes = new List<RawNode>(ids.Length);
        var byId = new Dictionary<long, RawNode>(ids.Length);
        Begin(write: false);
        var selectNodes = InCommand($"""SELECT {NodeColumns} FROM "Artifact" a LEFT JOIN "Type" t ON t."id" = a."type_id" WHERE a."id" IN """, " ORDER BY a.\"id\"", ReadChunk);
        var selectProperties = InCommand($"""SELECT {PropertyColumns} FROM "ArtifactProperty" WHERE "artifact_id" IN """, string.Empty, ReadChunk);
        for (var start = 0; start < ids.Length; start += ReadChunk)
        {
            BindChunk(selectNodes, ids, start);
            ReadNodes(selectNodes, nodes, byId);
            BindChunk(selectProperties, ids, start);
            ReadProperties(selectProperties, byId);
        }

        Commit();
        return nodes;
    }

    /// <summary>
    /// The first page of artifacts whose typed int property <paramref name="name"/> equals <paramref name="value"/>, by id,
    /// with type names and properties, in one statement: the page of ids walked in order from the covering property
    /// index (which holds the artifact id, so it stops at the page size), then its rows
    /// joined to their property rows (one statement beat a second IN-list query for the properties).
    /// </summary>
    public List<RawNode> FilterFirstPage(string name, long value, int pageSize)
    {
        var nodes = new List<RawNode>(pageSize + 1);
        Begin(write: false);
        var select = Command($"""
            WITH page AS (
              SELECT a."id", a."type_id", a."uri", a."state", a."name", a."external_id", a."create_time_since_epoch", a."last_update_time_since_epoch"
              FROM "ArtifactProperty" d CROSS JOIN "Artifact" a ON a."id" = d."artifact_id"
              WHERE d."name" = $name AND d."is_custom_property" = 0 AND d."int_value" = $value
              ORDER BY d."artifact_id" LIMIT $limit)
            SELECT a."id", a."type_id", t."name", a."uri", a."state", a."name", a."external_id", a."create_time_since_epoch", a."last_update_time_since_epoch",
                   p."name", p."is_custom_property", p."int_value", p."double_value", p."string_value", p."proto_value", p."bool_value"
            FROM page a LEFT JOIN "Type" t ON t."id" = a."type_id" LEFT JOIN "ArtifactProperty" p ON p."artifact_id" = a."id"
            ORDER BY a."id"
            """, "$name", "$value", "$limit");
        // One row more than the page says whether a next page exists, as a page token needs.
        Bind(select, name, value, pageSize + 1);
        using (var reader = select.ExecuteReader())
        {
            RawNode? node = null;
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                if (node is null || node.Id != id)
                {
                    node = ReadNode(reader);
                    nodes.Add(node);
                }

                if (!reader.IsDBNull(9))
                {
                    node.Properties.Add(new RawProperty(
                        reader.GetString(9),
                        reader.GetInt64(10) != 0,
                        reader.IsDBNull(11) ? null : reader.GetInt64(11),
                        reader.IsDBNull(12) ? null : reader.GetDouble(12),
                        reader.IsDBNull(13) ? null : reader.GetString(13),
                        reader.IsDBNull(14) ? null : (byte[])reader.GetValue(14),
                        reader.IsDBNull(15) ? null : reader.GetInt64(15) != 0));
                }
            }
        }

        Commit();
        if (nodes.Count > pageSize)
        {
            nodes.RemoveAt(pageSize);
        }

        return nodes;
    }

    /// <summary>Reads every artifact with its properties, one keyset page (one read transaction) at a time.</summary>
    public long StreamAll(int pageSize, Action<RawNode>? sink = null)
    {
        var count = 0L;
        var after = 0L;
        var nodes = new List<RawNode>(pageSize);
        var byId = new Dictionary<long, RawNode>(pageSize);
        while (true)
        {
            nodes.Clear();
            byId.Clear();
            Begin(write: false);
            var select = Command($"""
                SELECT {NodeColumns} FROM "Artifact" a LEFT JOIN "Type" t ON t."id" = a."type_id"
                WHERE a."id" > $after ORDER BY a."id" LIMIT $limit
                """, "$after", "$limit");
            Bind(select, after, pageSize);
            ReadNodes(select, nodes, byId);
            if (nodes.Count > 0)
            {
                var properties = Command($"""SELECT {PropertyColumns} FROM "ArtifactProperty" WHERE "artifact_id" BETWEEN $lo AND $hi""", "$lo", "$hi");
                Bind(properties, nodes[0].Id, nodes[^1].Id);
                ReadProperties(properties, byId);
            }

            Commit();
            foreach (var node in nodes)
            {
                sink?.Invoke(node);
            }

            count += nodes.Count;
            if (nodes.Count < pageSize)
            {
                return count;
            }

            after = nodes[^1].Id;
        }
    }

    /// <summary>The lowest and highest artifact ids.</summary>
    public (long Min, long Max) ArtifactIdRange()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """SELECT MIN("id"), MAX("id") FROM "Artifact" """;
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private long EnsureType(string name, TypeKind kind, (string Name, PropertyKind Kind)[] properties)
    {
        var find = Command("""SELECT "id" FROM "Type" WHERE "name" = $name AND "type_kind" = $kind AND "version" IS NULL""", "$name", "$kind");
        Bind(find, name, (int)kind);
        if (find.ExecuteScalar() is long id)
        {
            return id;
        }

        var insert = Command("""INSERT INTO "Type" ("name", "version", "type_kind", "description", "input_type", "output_type", "external_id") VALUES ($name, NULL, $kind, NULL, NULL, NULL, NULL)""", "$name", "$kind");
        Bind(insert, name, (int)kind);
        insert.ExecuteNonQuery();
        id = LastRowId();
        var insertProperty = Command("""INSERT INTO "TypeProperty" ("type_id", "name", "data_type") VALUES ($type, $name, $kind)""", "$type", "$name", "$kind");
        foreach (var (propertyName, propertyKind) in properties)
        {
            Bind(insertProperty, id, propertyName, (int)propertyKind);
            insertProperty.ExecuteNonQuery();
        }

        return id;
    }

    private void InsertDataset(long n, long now)
    {
        var id = InsertArtifact(DatasetTypeId, Workload.DatasetUri(n), Workload.DatasetName(n), now);
        InsertInt("ArtifactProperty", "artifact_id", id, "shard", Workload.Shard(n));
        InsertInt("ArtifactProperty", "artifact_id", id, "rows", Workload.Rows(n));
        InsertDouble("ArtifactProperty", "artifact_id", id, "quality", Workload.Quality(n));
        InsertString("ArtifactProperty", "artifact_id", id, "split", Workload.Split(n));
        InsertString("ArtifactProperty", "artifact_id", id, "format", Workload.Format);
    }

    private long InsertArtifact(long typeId, string uri, string? name, long now)
    {
        var insert = Command("""
            INSERT INTO "Artifact" ("type_id", "uri", "state", "name", "external_id", "create_time_since_epoch", "last_update_time_since_epoch")
            VALUES ($type, $uri, $state, $name, NULL, $now, $now)
            """, "$type", "$uri", "$state", "$name", "$now");
        Bind(insert, typeId, uri, (int)ArtifactState.Live, (object?)name ?? DBNull.Value, now);
        insert.ExecuteNonQuery();
        return LastRowId();
    }

    private void InsertInt(string table, string idColumn, long id, string name, long value) =>
        InsertProperty(table, idColumn, "int_value", id, name, value);

    private void InsertDouble(string table, string idColumn, long id, string name, double value) =>
        InsertProperty(table, idColumn, "double_value", id, name, value);

    private void InsertString(string table, string idColumn, long id, string name, string value) =>
        InsertProperty(table, idColumn, "string_value", id, name, value);

    private void InsertProperty(string table, string idColumn, string valueColumn, long id, string name, object value)
    {
        var insert = KeyedCommand(
            table + valueColumn,
            $"""INSERT INTO "{table}" ("{idColumn}", "name", "is_custom_property", "{valueColumn}") VALUES ($id, $name, 0, $value)""",
            "$id", "$name", "$value");
        Bind(insert, id, name, value);
        insert.ExecuteNonQuery();
    }

    private void InsertEvent(long artifact, long execution, EventType type, string key, long now)
    {
        var insert = Command("""
            INSERT INTO "Event" ("artifact_id", "execution_id", "type", "milliseconds_since_epoch") VALUES ($a, $e, $type, $now)
            """, "$a", "$e", "$type", "$now");
        Bind(insert, artifact, execution, (int)type, now);
        insert.ExecuteNonQuery();
        var eventId = LastRowId();
        var path = Command("""INSERT INTO "EventPath" ("event_id", "is_index_step", "step_index", "step_key") VALUES ($event, 0, NULL, $key)""", "$event", "$key");
        Bind(path, eventId, key);
        path.ExecuteNonQuery();
    }

    private static void ReadNodes(SqliteCommand command, List<RawNode> nodes, Dictionary<long, RawNode> byId)
    {
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var node = ReadNode(reader);
            nodes.Add(node);
            byId[node.Id] = node;
        }
    }

    /// <summary>The node columns, in the order every node query selects them.</summary>
    private static RawNode ReadNode(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        TypeId = reader.GetInt64(1),
        TypeName = reader.IsDBNull(2) ? string.Empty : reader.GetString(2),
        Uri = reader.IsDBNull(3) ? null : reader.GetString(3),
        State = reader.IsDBNull(4) ? null : reader.GetInt32(4),
        Name = reader.IsDBNull(5) ? null : reader.GetString(5),
        ExternalId = reader.IsDBNull(6) ? null : reader.GetString(6),
        CreateTime = reader.GetInt64(7),
        LastUpdateTime = reader.GetInt64(8),
    };

    private static void ReadProperties(SqliteCommand command, Dictionary<long, RawNode> byId)
    {
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var property = new RawProperty(
                reader.GetString(1),
                reader.GetInt64(2) != 0,
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : (byte[])reader.GetValue(6),
                reader.IsDBNull(7) ? null : reader.GetInt64(7) != 0);
            if (byId.TryGetValue(reader.GetInt64(0), out var node))
            {
                node.Properties.Add(property);
            }
        }
    }

    private void Begin(bool write)
    {
        _tx = _connection.BeginTransaction(deferred: !write);
        foreach (var command in _commands.Values)
        {
            command.Transaction = _tx;
        }
    }

    private void Commit()
    {
        _tx!.Commit();
        _tx.Dispose();
        _tx = null;
    }

    private long LastRowId() => SQLitePCL.raw.sqlite3_last_insert_rowid(_connection.Handle);

    private SqliteCommand Command(string sql, params string[] parameters) => KeyedCommand(sql, sql, parameters);

    private SqliteCommand KeyedCommand(string key, string sql, params string[] parameters)
    {
        if (!_commands.TryGetValue(key, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            command.Transaction = _tx;
            command.Prepare();
            _commands[key] = command;
        }

        return command;
    }

    private SqliteCommand InCommand(string head, string tail, int size)
    {
        var key = head + "IN" + tail + size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!_commands.TryGetValue(key, out var command))
        {
            var names = new string[size];
            for (var i = 0; i < size; i++)
            {
                names[i] = "$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            command = KeyedCommand(key, head + "(" + string.Join(", ", names) + ")" + tail, names);
        }

        return command;
    }

    private static void BindChunk(SqliteCommand command, IReadOnlyList<long> ids, int start)
    {
        var parameters = command.Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            // Unused slots hold an id that never exists.
            parameters[i].Value = start + i < ids.Count ? ids[start + i] : -1L;
        }
    }

    private static void Bind(SqliteCommand command, params object[] values)
    {
        var parameters = command.Parameters;
        for (var i = 0; i < values.Length; i++)
        {
            parameters[i].Value = values[i];
        }
    }
}
