using Npgsql;
using NpgsqlTypes;

namespace MetadataStore.Benchmarks;

/// <summary>
/// The physical limit on PostgreSQL: raw Npgsql doing the library's writes and reads on the library's tables and
/// indexes, on one open connection, with prepared statements and what a careful Npgsql user does about round trips:
/// array parameters (<c>unnest</c>, <c>= ANY</c>) for many rows in one statement, and several statements in one
/// <see cref="NpgsqlBatch"/> where none needs an earlier one's result.
/// </summary>
internal sealed class RawPgStore : IDisposable
{
    private const string NodeColumns = """
        a.id, a.type_id, t.name, a.uri, a.state, a.name, a.external_id, a.create_time_since_epoch, a.last_update_time_since_epoch
        """;

    private readonly NpgsqlConnection _connection;
    private readonly string _s;
    private readonly Dictionary<string, NpgsqlCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NpgsqlBatch> _batches = new(StringComparer.Ordinal);
    private NpgsqlTransaction? _tx;

    private RawPgStore(NpgsqlConnection connection, string schema)
    {
        _connection = connection;
        _s = "\"" + schema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public long DatasetTypeId { get; private set; }

    public long ModelTypeId { get; private set; }

    public long TrainerTypeId { get; private set; }

    public long PipelineTypeId { get; private set; }

    /// <summary>Opens a connection to a schema the library created.</summary>
    public static RawPgStore Open(string connectionString, string schema)
    {
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return new RawPgStore(connection, schema);
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        foreach (var batch in _batches.Values)
        {
            batch.Dispose();
        }

        _tx?.Dispose();
        _connection.Dispose();
    }

    /// <summary>Finds the benchmark's types, creating the Type and TypeProperty rows (as the library writes them) when missing.</summary>
    public void EnsureTypes()
    {
        Begin();
        DatasetTypeId = EnsureType(Workload.DatasetType, TypeKind.Artifact, Workload.DatasetProperties);
        ModelTypeId = EnsureType(Workload.ModelType, TypeKind.Artifact, Workload.ModelProperties);
        TrainerTypeId = EnsureType(Workload.TrainerType, TypeKind.Execution, Workload.TrainerProperties);
        PipelineTypeId = EnsureType(Workload.PipelineType, TypeKind.Context, []);
        Commit();
    }

    /// <summary>
    /// Inserts datasets <paramref name="first"/> .. first+count-1, one transaction per <paramref name="batch"/>: the
    /// batch's ids taken from the sequence, then its artifact rows and its property rows, each in one statement.
    /// </summary>
    public void BulkInsert(long first, long count, int batch)
    {
        var reserve = Command(
            $"""SELECT nextval(pg_get_serial_sequence('{_s}.artifact', 'id')) FROM generate_series(1, $1)""",
            NpgsqlDbType.Integer);
        var insertArtifacts = Command(
            $"""
            INSERT INTO {_s}.artifact (id, type_id, uri, state, name, external_id, create_time_since_epoch, last_update_time_since_epoch)
            SELECT id, $2, uri, $3, name, NULL, $4, $4 FROM unnest($1, $5, $6) AS r(id, uri, name)
            """,
            NpgsqlDbType.Array | NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Integer, NpgsqlDbType.Bigint,
            NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Text);
        var insertProperties = PropertyInsert("artifactproperty", "artifact_id");
        for (var start = first; start < first + count; start += batch)
        {
            var size = (int)Math.Min(first + count - start, batch);
            var now = Now();
            Begin();
            Bind(reserve, size);
            var ids = new long[size];
            using (var reader = reserve.ExecuteReader())
            {
                for (var i = 0; reader.Read(); i++)
                {
                    ids[i] = reader.GetInt64(0);
                }
            }

            var uris = new string[size];
            var names = new string[size];
            var properties = new PropertyRows(size * 5);
            for (var i = 0; i < size; i++)
            {
                var n = start + i;
                uris[i] = Workload.DatasetUri(n);
                names[i] = Workload.DatasetName(n);
                properties.Int(ids[i], "shard", Workload.Shard(n));
                properties.Int(ids[i], "rows", Workload.Rows(n));
                properties.Double(ids[i], "quality", Workload.Quality(n));
                properties.String(ids[i], "split", Workload.Split(n));
                properties.String(ids[i], "format", Workload.Format);
            }

            Bind(insertArtifacts, ids, DatasetTypeId, (int)ArtifactState.Live, now, uris, names);
            insertArtifacts.ExecuteNonQuery();
            properties.Bind(insertProperties);
            insertProperties.ExecuteNonQuery();
            Commit();
        }
    }

    /// <summary>
    /// Fills a new schema fast (not a measured path): one INSERT ... SELECT per table computing the same values as
    /// <see cref="Workload"/> on the server, then ANALYZE.
    /// </summary>
    public void BulkLoad(long count)
    {
        var now = Now();
        Exec($"""
            INSERT INTO {_s}.artifact (type_id, uri, state, name, external_id, create_time_since_epoch, last_update_time_since_epoch)
            SELECT {DatasetTypeId}, 'file:///data/bench/part-' || lpad(n::text, 8, '0') || '.parquet', {(int)ArtifactState.Live},
                   'dataset-' || lpad(n::text, 8, '0'), NULL, {now}, {now}
            FROM generate_series(0, {count - 1}) AS n ORDER BY n;
            INSERT INTO {_s}.artifactproperty (artifact_id, name, is_custom_property, int_value, double_value, string_value)
            SELECT a.id, p.name, false, p.i, p.d, p.s
            FROM (SELECT id, (substr(name, 9))::bigint AS n FROM {_s}.artifact WHERE type_id = {DatasetTypeId}) a
            CROSS JOIN LATERAL (VALUES
              ('shard', a.n % {Workload.Shards}, NULL::double precision, NULL::text),
              ('rows', 1000 + (a.n * 7 % 100000), NULL, NULL),
              ('quality', NULL, (a.n % 9973) / 9973.0::double precision, NULL),
              ('split', NULL, NULL, CASE WHEN a.n % 10 < 8 THEN 'train' WHEN a.n % 10 = 8 THEN 'eval' ELSE 'test' END),
              ('format', NULL, NULL, '{Workload.Format}')) AS p(name, i, d, s);
            ANALYZE {_s}.artifact;
            ANALYZE {_s}.artifactproperty;
            """);
    }

    /// <summary>
    /// One publish, as PutExecutionAsync does it: output artifact, execution, their properties, input check, events
    /// with paths, context reuse, association and attributions; three round trips and a commit.
    /// </summary>
    public long Publish(long n, long input1, long input2)
    {
        var now = Now();
        Begin();

        // 1: the two new rows and the context, none depending on another.
        var first = Batch(
            "publish-1",
            ($"""
             INSERT INTO {_s}.artifact (type_id, uri, state, name, external_id, create_time_since_epoch, last_update_time_since_epoch)
             VALUES ($1, $2, $3, NULL, NULL, $4, $4) RETURNING id
             """, [NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Integer, NpgsqlDbType.Bigint]),
            ($"""
             INSERT INTO {_s}.execution (type_id, last_known_state, name, external_id, create_time_since_epoch, last_update_time_since_epoch)
             VALUES ($1, $2, NULL, NULL, $3, $3) RETURNING id
             """, [NpgsqlDbType.Bigint, NpgsqlDbType.Integer, NpgsqlDbType.Bigint]),
            ($"SELECT id FROM {_s}.context WHERE type_id = $1 AND name = $2", [NpgsqlDbType.Bigint, NpgsqlDbType.Text]));
        Bind(first.BatchCommands[0], ModelTypeId, Workload.ModelUri(n), (int)ArtifactState.Live, now);
        Bind(first.BatchCommands[1], TrainerTypeId, (int)ExecutionState.Complete, now);
        Bind(first.BatchCommands[2], PipelineTypeId, Workload.PipelineRun);
        long model, execution;
        long? context = null;
        using (var reader = first.ExecuteReader())
        {
            reader.Read();
            model = reader.GetInt64(0);
            reader.NextResult();
            reader.Read();
            execution = reader.GetInt64(0);
            reader.NextResult();
            if (reader.Read())
            {
                context = reader.GetInt64(0);
            }
        }

        if (context is null)
        {
            var insertContext = Command(
                $"""
                INSERT INTO {_s}.context (type_id, name, external_id, create_time_since_epoch, last_update_time_since_epoch)
                VALUES ($1, $2, NULL, $3, $3) RETURNING id
                """,
                NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Bigint);
            Bind(insertContext, PipelineTypeId, Workload.PipelineRun, now);
            context = (long)insertContext.ExecuteScalar()!;
        }

        // 2: everything that needs those ids.
        var modelProperties = new PropertyRows(5);
        modelProperties.Int(model, "epoch", Workload.Epoch(n));
        modelProperties.Int(model, "size_bytes", Workload.SizeBytes(n));
        modelProperties.Double(model, "accuracy", Workload.Accuracy(n));
        modelProperties.String(model, "framework", Workload.Framework);
        modelProperties.String(model, "format", Workload.ModelFormat);
        var executionProperties = new PropertyRows(5);
        executionProperties.Int(execution, "epochs", Workload.Epochs(n));
        executionProperties.Int(execution, "seed", n);
        executionProperties.Double(execution, "learning_rate", Workload.LearningRate(n));
        executionProperties.Double(execution, "loss", Workload.Loss(n));
        executionProperties.String(execution, "optimizer", Workload.Optimizer);
        var second = Batch(
            "publish-2",
            ($"SELECT count(*) FROM {_s}.artifact WHERE id = ANY($1)", [NpgsqlDbType.Array | NpgsqlDbType.Bigint]),
            (PropertyInsertSql("artifactproperty", "artifact_id"), PropertyTypes),
            (PropertyInsertSql("executionproperty", "execution_id"), PropertyTypes),
            ($"""
             WITH e AS (
               INSERT INTO {_s}.event (artifact_id, execution_id, type, milliseconds_since_epoch)
               SELECT artifact_id, $2, type, $3 FROM unnest($1, $4) AS r(artifact_id, type)
               RETURNING id, artifact_id, type)
             INSERT INTO {_s}.eventpath (event_id, is_index_step, step_index, step_key)
             SELECT e.id, false, NULL, r.step_key FROM e JOIN unnest($1, $4, $5) AS r(artifact_id, type, step_key)
               ON r.artifact_id = e.artifact_id AND r.type = e.type
             """,
             [NpgsqlDbType.Array | NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Array | NpgsqlDbType.Integer, NpgsqlDbType.Array | NpgsqlDbType.Text]),
            ($"INSERT INTO {_s}.association (context_id, execution_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [NpgsqlDbType.Bigint, NpgsqlDbType.Bigint]),
            ($"INSERT INTO {_s}.attribution (context_id, artifact_id) SELECT $1, a FROM unnest($2) AS r(a) ON CONFLICT DO NOTHING", [NpgsqlDbType.Bigint, NpgsqlDbType.Array | NpgsqlDbType.Bigint]));
        Bind(second.BatchCommands[0], new[] { input1, input2 });
        modelProperties.Bind(second.BatchCommands[1]);
        executionProperties.Bind(second.BatchCommands[2]);
        Bind(
            second.BatchCommands[3],
            new[] { input1, input2, model }, execution, now,
            new[] { (int)EventType.Input, (int)EventType.Input, (int)EventType.Output },
            new[] { Workload.InputRole, Workload.InputRole, Workload.OutputRole });
        Bind(second.BatchCommands[4], context.Value, execution);
        Bind(second.BatchCommands[5], context.Value, new[] { input1, input2, model });
        using (var reader = second.ExecuteReader())
        {
            // The inputs are referenced by id: check they exist (a failure rolls the whole publish back).
            reader.Read();
            if (reader.GetInt64(0) != 2)
            {
                throw new InvalidOperationException("Missing input artifact.");
            }
        }

        Commit();
        return execution;
    }

    /// <summary>Reads artifacts with their type names and properties by id: both statements in one round trip, each with all ids as one array.</summary>
    public List<RawNode> ReadByIds(IReadOnlyList<long> given)
    {
        var ids = given as long[] ?? [.. given];
        var nodes = new List<RawNode>(ids.Length);
        var byId = new Dictionary<long, RawNode>(ids.Length);
        var read = Batch(
            "read",
            ($"SELECT {NodeColumns} FROM {_s}.artifact a LEFT JOIN {_s}.type t ON t.id = a.type_id WHERE a.id = ANY($1) ORDER BY a.id", [NpgsqlDbType.Array | NpgsqlDbType.Bigint]),
            ($"""
             SELECT artifact_id, name, is_custom_property, int_value, double_value, string_value, proto_value, bool_value
             FROM {_s}.artifactproperty WHERE artifact_id = ANY($1)
             """, [NpgsqlDbType.Array | NpgsqlDbType.Bigint]));
        read.BatchCommands[0].Parameters[0].Value = ids;
        read.BatchCommands[1].Parameters[0].Value = ids;
        using var reader = read.ExecuteReader();
        while (reader.Read())
        {
            var node = ReadNode(reader);
            nodes.Add(node);
            byId[node.Id] = node;
        }

        reader.NextResult();
        while (reader.Read())
        {
            if (byId.TryGetValue(reader.GetInt64(0), out var node))
            {
                node.Properties.Add(ReadProperty(reader, 1));
            }
        }

        return nodes;
    }

    /// <summary>
    /// The first page of artifacts whose typed int property <paramref name="name"/> equals <paramref name="value"/>, by
    /// id, with type names and properties, in one statement: the page of ids from the property index (which holds the
    /// artifact id, so it stops at the page size), then its rows joined to their property rows.
    /// </summary>
    public List<RawNode> FilterFirstPage(string name, long value, int pageSize)
    {
        var nodes = new List<RawNode>(pageSize + 1);
        var select = Command(
            $"""
            WITH page AS (
              SELECT a.id, a.type_id, a.uri, a.state, a.name, a.external_id, a.create_time_since_epoch, a.last_update_time_since_epoch
              FROM {_s}.artifactproperty d JOIN {_s}.artifact a ON a.id = d.artifact_id
              WHERE d.name = $1 AND d.is_custom_property = false AND d.int_value = $2
              ORDER BY d.artifact_id LIMIT $3)
            SELECT a.id, a.type_id, t.name, a.uri, a.state, a.name, a.external_id, a.create_time_since_epoch, a.last_update_time_since_epoch,
                   p.name, p.is_custom_property, p.int_value, p.double_value, p.string_value, p.proto_value, p.bool_value
            FROM page a LEFT JOIN {_s}.type t ON t.id = a.type_id LEFT JOIN {_s}.artifactproperty p ON p.artifact_id = a.id
            ORDER BY a.id
            """,
            NpgsqlDbType.Text, NpgsqlDbType.Bigint, NpgsqlDbType.Integer);
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
                    node.Properties.Add(ReadProperty(reader, 9));
                }
            }
        }

        if (nodes.Count > pageSize)
        {
            nodes.RemoveAt(pageSize);
        }

        return nodes;
    }

    /// <summary>The lowest and highest artifact ids.</summary>
    public (long Min, long Max) ArtifactIdRange()
    {
        using var command = new NpgsqlCommand($"SELECT min(id), max(id) FROM {_s}.artifact", _connection);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static readonly NpgsqlDbType[] PropertyTypes =
    [
        NpgsqlDbType.Array | NpgsqlDbType.Bigint, NpgsqlDbType.Array | NpgsqlDbType.Text, NpgsqlDbType.Array | NpgsqlDbType.Bigint,
        NpgsqlDbType.Array | NpgsqlDbType.Double, NpgsqlDbType.Array | NpgsqlDbType.Text,
    ];

    private string PropertyInsertSql(string table, string owner) => $"""
        INSERT INTO {_s}.{table} ({owner}, name, is_custom_property, int_value, double_value, string_value)
        SELECT o, n, false, i, d, s FROM unnest($1, $2, $3, $4, $5) AS r(o, n, i, d, s)
        """;

    private NpgsqlCommand PropertyInsert(string table, string owner) => Command(PropertyInsertSql(table, owner), PropertyTypes);

    private void Exec(string sql)
    {
        using var command = new NpgsqlCommand(sql, _connection);
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private long EnsureType(string name, TypeKind kind, (string Name, PropertyKind Kind)[] properties)
    {
        var find = Command($"SELECT id FROM {_s}.type WHERE name = $1 AND type_kind = $2 AND version IS NULL", NpgsqlDbType.Text, NpgsqlDbType.Smallint);
        Bind(find, name, (short)kind);
        if (find.ExecuteScalar() is long id)
        {
            return id;
        }

        var insert = Command(
            $"INSERT INTO {_s}.type (name, version, type_kind, description, input_type, output_type, external_id) VALUES ($1, NULL, $2, NULL, NULL, NULL, NULL) RETURNING id",
            NpgsqlDbType.Text, NpgsqlDbType.Smallint);
        Bind(insert, name, (short)kind);
        id = (long)insert.ExecuteScalar()!;
        var insertProperty = Command($"INSERT INTO {_s}.typeproperty (type_id, name, data_type) VALUES ($1, $2, $3)", NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Integer);
        foreach (var (propertyName, propertyKind) in properties)
        {
            Bind(insertProperty, id, propertyName, (int)propertyKind);
            insertProperty.ExecuteNonQuery();
        }

        return id;
    }

    /// <summary>The node columns, in the order every node query selects them.</summary>
    private static RawNode ReadNode(NpgsqlDataReader reader) => new()
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

    private static RawProperty ReadProperty(NpgsqlDataReader reader, int at) => new(
        reader.GetString(at),
        reader.GetBoolean(at + 1),
        reader.IsDBNull(at + 2) ? null : reader.GetInt64(at + 2),
        reader.IsDBNull(at + 3) ? null : reader.GetDouble(at + 3),
        reader.IsDBNull(at + 4) ? null : reader.GetString(at + 4),
        reader.IsDBNull(at + 5) ? null : reader.GetFieldValue<byte[]>(at + 5),
        reader.IsDBNull(at + 6) ? null : reader.GetBoolean(at + 6));

    private void Begin() => _tx = _connection.BeginTransaction();

    private void Commit()
    {
        _tx!.Commit();
        _tx.Dispose();
        _tx = null;
    }

    private NpgsqlCommand Command(string sql, params NpgsqlDbType[] types)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = new NpgsqlCommand(sql, _connection);
            foreach (var type in types)
            {
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type });
            }

            command.Prepare();
            _commands[sql] = command;
        }

        return command;
    }

    private NpgsqlBatch Batch(string key, params (string Sql, NpgsqlDbType[] Types)[] statements)
    {
        if (!_batches.TryGetValue(key, out var batch))
        {
            batch = new NpgsqlBatch(_connection);
            foreach (var (sql, types) in statements)
            {
                var command = new NpgsqlBatchCommand(sql);
                foreach (var type in types)
                {
                    command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type });
                }

                batch.BatchCommands.Add(command);
            }

            batch.Prepare();
            _batches[key] = batch;
        }

        return batch;
    }

    private static void Bind(NpgsqlCommand command, params object[] values) => Bind(command.Parameters, values);

    private static void Bind(NpgsqlBatchCommand command, params object[] values) => Bind(command.Parameters, values);

    private static void Bind(NpgsqlParameterCollection parameters, object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            parameters[i].Value = values[i];
        }
    }

    /// <summary>Property rows as the five arrays of one <c>unnest</c> insert.</summary>
    private sealed class PropertyRows(int capacity)
    {
        private readonly List<long> _owners = new(capacity);
        private readonly List<string> _names = new(capacity);
        private readonly List<long?> _ints = new(capacity);
        private readonly List<double?> _doubles = new(capacity);
        private readonly List<string?> _strings = new(capacity);

        public void Int(long owner, string name, long value) => Add(owner, name, value, null, null);

        public void Double(long owner, string name, double value) => Add(owner, name, null, value, null);

        public void String(long owner, string name, string value) => Add(owner, name, null, null, value);

        public void Bind(NpgsqlCommand command) => RawPgStore.Bind(command.Parameters, Values());

        public void Bind(NpgsqlBatchCommand command) => RawPgStore.Bind(command.Parameters, Values());

        private object[] Values() => [_owners.ToArray(), _names.ToArray(), _ints.ToArray(), _doubles.ToArray(), _strings.ToArray()];

        private void Add(long owner, string name, long? i, double? d, string? s)
        {
            _owners.Add(owner);
            _names.Add(name);
            _ints.Add(i);
            _doubles.Add(d);
            _strings.Add(s);
        }
    }
}
