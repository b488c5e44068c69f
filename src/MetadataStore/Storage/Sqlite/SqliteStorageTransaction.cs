using MetadataStore.Query;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace MetadataStore.Storage.Sqlite;

/// <summary>
/// Record-level reads and writes on one session's connection inside one transaction. Statements come from the
/// session's prepared-statement cache; id lists are read in chunks through <c>IN</c> lists of bound parameters
/// whose sizes are powers of two (padded with the last id), so a handful of prepared statements serve every list.
/// Work here is synchronous, as Microsoft.Data.Sqlite is; the token is checked before each statement.
/// </summary>
internal sealed partial class SqliteStorageTransaction(SqliteSession session, SqliteTransaction transaction) : IStorageTransaction
{
    private const int MaxInList = 256;

    private const string TypeColumns = """ "id", "name", "version", "type_kind", "description", "external_id", "input_type", "output_type" """;

    private const string SelectAllTypes = "SELECT" + TypeColumns + """
        FROM "Type"
        WHERE "type_kind" = $1
          AND NOT ("type_kind" IN (0, 1) AND "version" IS NULL AND "name" IN (
            'mlmd.Dataset', 'mlmd.Model', 'mlmd.Metrics', 'mlmd.Statistics',
            'mlmd.Train', 'mlmd.Transform', 'mlmd.Process', 'mlmd.Evaluate', 'mlmd.Deploy'))
        ORDER BY "id";
        """;

    private const string SelectTypesByIds = "SELECT" + TypeColumns + """FROM "Type" WHERE "type_kind" = $1 AND "id" IN (@@IN@@) ORDER BY "id";""";
    private const string SelectTypesByExternalIds = "SELECT" + TypeColumns + """FROM "Type" WHERE "type_kind" = $1 AND "external_id" IN (@@IN@@) ORDER BY "id";""";
    private const string SelectTypeByName = "SELECT" + TypeColumns + """FROM "Type" WHERE "type_kind" = $1 AND "name" = $2 AND "version" IS NULL ORDER BY "id";""";
    private const string SelectTypeByNameAndVersion = "SELECT" + TypeColumns + """FROM "Type" WHERE "type_kind" = $1 AND "name" = $2 AND "version" = $3 ORDER BY "id";""";
    private const string SelectTypeIdsByNames = """SELECT "id" FROM "Type" WHERE "type_kind" = $1 AND "name" IN (@@IN@@) ORDER BY "id";""";
    private const string SelectTypeProperties = """SELECT "type_id", "name", "data_type" FROM "TypeProperty" WHERE "type_id" IN (@@IN@@);""";

    private const string SelectBaseTypes = """
        SELECT p."type_id", b."name" FROM "ParentType" AS p JOIN "Type" AS b ON b."id" = p."parent_type_id"
        WHERE p."type_id" IN (@@IN@@) ORDER BY p."type_id", p."parent_type_id";
        """;

    private const string InsertType = """
        INSERT INTO "Type" ("name", "type_kind", "version", "description", "input_type", "output_type", "external_id")
        VALUES ($1, $2, $3, $4, $5, $6, $7);
        """;

    private const string UpdateTypeExternalId = """UPDATE "Type" SET "external_id" = $2 WHERE "id" = $1;""";
    private const string InsertTypeProperty = """INSERT INTO "TypeProperty" ("type_id", "name", "data_type") VALUES ($1, $2, $3);""";

    private const string InsertBaseType = """
        INSERT INTO "ParentType" ("type_id", "parent_type_id")
        SELECT $1, "id" FROM "Type" WHERE "name" = $2 AND "type_kind" = $3 AND "version" IS NULL ORDER BY "id" LIMIT 1;
        """;

    private const string InsertEvent = """
        INSERT INTO "Event" ("artifact_id", "execution_id", "type", "milliseconds_since_epoch") VALUES ($1, $2, $3, $4);
        """;

    private const string InsertEventPath = """INSERT INTO "EventPath" ("event_id", "is_index_step", "step_index", "step_key") VALUES ($1, $2, $3, $4);""";
    private const string EventColumns = """SELECT e."id", e."artifact_id", e."execution_id", e."type", e."milliseconds_since_epoch" FROM "Event" AS e """;
    private const string SelectEventsByArtifact = EventColumns + """WHERE e."artifact_id" IN (@@IN@@) ORDER BY e."id";""";
    private const string SelectEventsByExecution = EventColumns + """WHERE e."execution_id" IN (@@IN@@) ORDER BY e."id";""";

    // Steps of one event come back in insertion (rowid) order, which is path order.
    private const string PathColumns = """
        SELECT p."event_id", p."is_index_step", p."step_index", p."step_key"
        FROM "EventPath" AS p JOIN "Event" AS e ON e."id" = p."event_id"
        """;

    private const string SelectPathsByArtifact = PathColumns + """ WHERE e."artifact_id" IN (@@IN@@) ORDER BY p."rowid";""";
    private const string SelectPathsByExecution = PathColumns + """ WHERE e."execution_id" IN (@@IN@@) ORDER BY p."rowid";""";

    private const string InsertAttribution = """
        INSERT INTO "Attribution" ("context_id", "artifact_id") VALUES ($1, $2) ON CONFLICT ("context_id", "artifact_id") DO NOTHING;
        """;

    private const string InsertAssociation = """
        INSERT INTO "Association" ("context_id", "execution_id") VALUES ($1, $2) ON CONFLICT ("context_id", "execution_id") DO NOTHING;
        """;

    private const string SelectAttributedContexts = """SELECT "context_id" FROM "Attribution" WHERE "artifact_id" = $1 ORDER BY "context_id";""";
    private const string SelectAssociatedContexts = """SELECT "context_id" FROM "Association" WHERE "execution_id" = $1 ORDER BY "context_id";""";
    private const string InsertParentContext = """INSERT INTO "ParentContext" ("context_id", "parent_context_id") VALUES ($1, $2);""";

    private const string SelectParentsByChild = """
        SELECT "context_id", "parent_context_id" FROM "ParentContext" WHERE "context_id" IN (@@IN@@) ORDER BY "context_id", "parent_context_id";
        """;

    private const string SelectParentsByParent = """
        SELECT "context_id", "parent_context_id" FROM "ParentContext" WHERE "parent_context_id" IN (@@IN@@) ORDER BY "context_id", "parent_context_id";
        """;

    private static readonly object BoxedZero = 0L;
    private static readonly object BoxedOne = 1L;

    // Insert statements of this transaction, by node kind (and value column): a bulk write reuses them per row
    // without hashing their text in the session's cache.
    private SqliteCommand?[]? _insertNode;
    private SqliteCommand?[]? _insertProperty;

    public ValueTask<IReadOnlyList<TypeRecord>> GetTypesAsync(TypeKind kind, TypeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var types = new List<TypeRecord>();
        switch (query)
        {
            case TypeQuery.All:
            {
                var command = Command(SelectAllTypes, 1, cancellationToken);
                Set(command, 0, (long)kind);
                ReadTypes(command, types);
                break;
            }

            case TypeQuery.ByIds byIds:
                ReadTypesIn(SelectTypesByIds, kind, ToArray(byIds.Ids), types, cancellationToken);
                break;

            case TypeQuery.ByExternalIds byExternalIds:
                ReadTypesIn(SelectTypesByExternalIds, kind, ToArray(byExternalIds.ExternalIds), types, cancellationToken);
                break;

            case TypeQuery.ByName byName:
            {
                var command = byName.Version is null
                    ? Command(SelectTypeByName, 2, cancellationToken)
                    : Command(SelectTypeByNameAndVersion, 3, cancellationToken);
                Set(command, 0, (long)kind);
                Set(command, 1, byName.Name);
                if (byName.Version is not null)
                {
                    Set(command, 2, byName.Version);
                }

                ReadTypes(command, types);
                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(query), query, "Unknown type query.");
        }

        if (types.Count > 0)
        {
            ReadTypeDetails(types, cancellationToken);
        }

        return ValueTask.FromResult<IReadOnlyList<TypeRecord>>(types);
    }

    public ValueTask<long> InsertTypeAsync(TypeRecord type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        var command = Command(InsertType, 7, cancellationToken);
        Set(command, 0, type.Name);
        Set(command, 1, (long)type.Kind);
        Set(command, 2, type.Version);
        Set(command, 3, type.Description);
        Set(command, 4, type.InputType);
        Set(command, 5, type.OutputType);
        Set(command, 6, type.ExternalId);
        var id = InsertReturningId(command);
        foreach (var property in type.Properties)
        {
            AddTypeProperty(id, property.Key, property.Value, cancellationToken);
        }

        if (type.BaseTypeName is not null)
        {
            AddBaseType(id, type.Kind, type.BaseTypeName, cancellationToken);
        }

        return ValueTask.FromResult(id);
    }

    public ValueTask UpdateTypeAsync(TypeRecord type, IReadOnlyCollection<KeyValuePair<string, PropertyKind>> addedProperties, bool addBaseType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(addedProperties);
        var command = Command(UpdateTypeExternalId, 2, cancellationToken);
        Set(command, 0, type.Id);
        Set(command, 1, type.ExternalId);
        NonQuery(command);
        foreach (var property in addedProperties)
        {
            AddTypeProperty(type.Id, property.Key, property.Value, cancellationToken);
        }

        if (addBaseType && type.BaseTypeName is not null)
        {
            AddBaseType(type.Id, type.Kind, type.BaseTypeName, cancellationToken);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<long> InsertNodeAsync(NodeKind kind, NodeRecord node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        cancellationToken.ThrowIfCancellationRequested();
        _insertNode ??= new SqliteCommand?[3];
        ref var command = ref _insertNode[(int)kind];
        if (command is null)
        {
            var sql = SqliteNodeSql.For(kind);
            command = Command(sql.Insert, sql.InsertParameterCount, cancellationToken);
        }

        Set(command, 0, node.TypeId);
        var i = SetAttributes(command, 1, kind, node);
        Set(command, i++, node.CreateTime);
        Set(command, i, node.LastUpdateTime);
        return ValueTask.FromResult(InsertReturningId(command));
    }

    public ValueTask UpdateNodeAsync(NodeKind kind, NodeRecord node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        var sql = SqliteNodeSql.For(kind);
        var command = Command(sql.Update, sql.UpdateParameterCount, cancellationToken);
        Set(command, 0, node.Id);
        var i = SetAttributes(command, 1, kind, node);
        Set(command, i, node.LastUpdateTime);
        NonQuery(command);
        return ValueTask.CompletedTask;
    }

    /// <summary>Binds the attribute columns insert and update share, in catalogue order, from <paramref name="index"/>; returns the next index.</summary>
    private static int SetAttributes(SqliteCommand command, int index, NodeKind kind, NodeRecord node)
    {
        if (kind == NodeKind.Artifact)
        {
            Set(command, index++, node.Uri);
        }

        if (kind != NodeKind.Context)
        {
            Set(command, index++, node.State);
        }

        Set(command, index++, node.Name);
        Set(command, index++, node.ExternalId);
        return index;
    }

    public ValueTask<IReadOnlyList<NodeRecord>> GetNodesAsync(NodeKind kind, NodeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = SqliteNodeSql.For(kind);
        var nodes = new List<NodeRecord>();
        switch (query)
        {
            case NodeQuery.ByIds byIds:
                ReadNodesIn(sql.SelectByIds, ToArray(byIds.Ids), nodes, cancellationToken);
                break;

            case NodeQuery.ByExternalIds byExternalIds:
                ReadNodesIn(sql.SelectByExternalIds, ToArray(byExternalIds.ExternalIds), nodes, cancellationToken);
                break;

            case NodeQuery.ByUris byUris:
                if (kind != NodeKind.Artifact)
                {
                    throw new ArgumentException("Only artifacts have URIs.", nameof(query));
                }

                ReadNodesIn(sql.SelectByUris, ToArray(byUris.Uris), nodes, cancellationToken);
                break;

            case NodeQuery.ByTypeAndName byTypeAndName:
            {
                var command = Command(sql.SelectByTypeAndName, 2, cancellationToken);
                Set(command, 0, byTypeAndName.TypeId);
                Set(command, 1, byTypeAndName.Name);
                ReadNodes(command, nodes);
                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(query), query, "Unknown node query.");
        }

        return ValueTask.FromResult<IReadOnlyList<NodeRecord>>(nodes);
    }

    public ValueTask<IReadOnlyList<NodeRecord>> ListNodesAsync(NodeListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var builder = SqliteListSql.Build(query, names => ResolveTypeIds(query.Kind, names, cancellationToken));

        var nodes = new List<NodeRecord>(Math.Min(query.Limit, 1024));
        var command = session.BuiltCommand(builder, out var cached);
        try
        {
            command.Transaction = transaction;
            ReadNodes(command, nodes);
        }
        finally
        {
            if (!cached)
            {
                command.Dispose();
            }
        }

        return ValueTask.FromResult<IReadOnlyList<NodeRecord>>(nodes);
    }

    /// <summary>The ids of the types of the node kind with the given names, for a filter on the type name.</summary>
    private List<long> ResolveTypeIds(NodeKind kind, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var array = names.ToArray();
        var ids = new List<long>();
        var typeKind = kind switch
        {
            NodeKind.Artifact => TypeKind.Artifact,
            NodeKind.Execution => TypeKind.Execution,
            _ => TypeKind.Context,
        };
        for (var offset = 0; offset < array.Length; offset += MaxInList)
        {
            var command = InCommand(SelectTypeIdsByNames, 1, array, offset, cancellationToken);
            Set(command, 0, (long)typeKind);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        return ids;
    }

    public ValueTask<IReadOnlySet<long>> GetExistingIdsAsync(NodeKind kind, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var array = ToArray(ids);
        var sql = SqliteNodeSql.For(kind);
        var found = new HashSet<long>();
        for (var offset = 0; offset < array.Length; offset += MaxInList)
        {
            var command = InCommand(sql.SelectExistingIds, 0, array, offset, cancellationToken);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                found.Add(reader.GetInt64(0));
            }
        }

        return ValueTask.FromResult<IReadOnlySet<long>>(found);
    }

    public ValueTask<IReadOnlyList<PropertyRecord>> GetPropertiesAsync(NodeKind kind, IReadOnlyCollection<long> nodeIds, CancellationToken cancellationToken)
    {
        var ids = ToArray(nodeIds);
        var sql = SqliteNodeSql.For(kind);
        var properties = new List<PropertyRecord>();
        for (var offset = 0; offset < ids.Length; offset += MaxInList)
        {
            ReadProperties(InCommand(sql.SelectProperties, 0, ids, offset, cancellationToken), sql, properties);
        }

        return ValueTask.FromResult<IReadOnlyList<PropertyRecord>>(properties);
    }

    public ValueTask InsertPropertyAsync(NodeKind kind, PropertyRecord property, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(property);
        cancellationToken.ThrowIfCancellationRequested();
        var value = property.Value;
        var column = PropertyCodec.ColumnOf(value.Kind);
        _insertProperty ??= new SqliteCommand?[3 * 5];
        ref var command = ref _insertProperty[((int)kind * 5) + (int)column];
        command ??= Command(SqliteNodeSql.For(kind).InsertPropertyInto[(int)column], 4, cancellationToken);
        Set(command, 0, property.NodeId);
        Set(command, 1, property.Name);
        command.Parameters[2].Value = property.IsCustom ? BoxedOne : BoxedZero;
        Set(command, 3, column switch
        {
            PropertyColumn.Int => value.IntValue,
            PropertyColumn.Double => value.DoubleValue,
            PropertyColumn.String => PropertyCodec.EncodeText(value),
            PropertyColumn.Proto => PropertyCodec.EncodeProtoBase64(value),
            _ => value.BooleanValue ? 1L : 0L,
        });
        NonQuery(command);
        return ValueTask.CompletedTask;
    }

    public ValueTask UpdatePropertyAsync(NodeKind kind, PropertyRecord property, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(property);
        WriteProperty(SqliteNodeSql.For(kind).UpdateProperty, property, cancellationToken);
        return ValueTask.CompletedTask;
    }

    public ValueTask DeletePropertyAsync(NodeKind kind, long nodeId, string name, bool isCustom, CancellationToken cancellationToken)
    {
        var command = Command(SqliteNodeSql.For(kind).DeleteProperty, 3, cancellationToken);
        Set(command, 0, nodeId);
        Set(command, 1, name);
        Set(command, 2, isCustom ? 1L : 0L);
        NonQuery(command);
        return ValueTask.CompletedTask;
    }

    public ValueTask<long> InsertEventAsync(EventRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var command = Command(InsertEvent, 4, cancellationToken);
        Set(command, 0, record.ArtifactId);
        Set(command, 1, record.ExecutionId);
        Set(command, 2, (long)record.Type);
        Set(command, 3, record.Time);
        var id = InsertReturningId(command);
        var path = record.Path;
        for (var i = 0; i < path.Count; i++)
        {
            var step = path[i];
            var stepCommand = Command(InsertEventPath, 4, cancellationToken);
            Set(stepCommand, 0, id);
            Set(stepCommand, 1, step.IsIndex ? 1L : 0L);
            Set(stepCommand, 2, step.Index);
            Set(stepCommand, 3, step.Key);
            NonQuery(stepCommand);
        }

        return ValueTask.FromResult(id);
    }

    public ValueTask<IReadOnlyList<EventRecord>> GetEventsAsync(bool byArtifact, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var array = ToArray(ids);
        var events = new List<EventRecord>();
        var byId = new Dictionary<long, (EventRecord Event, List<EventStep>? Steps)>();
        for (var offset = 0; offset < array.Length; offset += MaxInList)
        {
            var command = InCommand(byArtifact ? SelectEventsByArtifact : SelectEventsByExecution, 0, array, offset, cancellationToken);
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var record = new EventRecord
                    {
                        Id = reader.GetInt64(0),
                        ArtifactId = reader.GetInt64(1),
                        ExecutionId = reader.GetInt64(2),
                        Type = reader.GetInt32(3),
                        Time = reader.IsDBNull(4) ? null : reader.GetInt64(4),
                    };

                    // One event may match two chunks only if the id list repeats an id; keep it once.
                    if (byId.TryAdd(record.Id, (record, null)))
                    {
                        events.Add(record);
                    }
                }
            }

            if (byId.Count == 0)
            {
                continue;
            }

            command = InCommand(byArtifact ? SelectPathsByArtifact : SelectPathsByExecution, 0, array, offset, cancellationToken);
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var eventId = reader.GetInt64(0);
                    ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(byId, eventId);
                    if (Unsafe.IsNullRef(ref entry))
                    {
                        continue;
                    }

                    var step = reader.GetInt64(1) != 0
                        ? EventStep.ForIndex(reader.IsDBNull(2) ? 0 : reader.GetInt64(2))
                        : EventStep.ForKey(reader.IsDBNull(3) ? string.Empty : reader.GetString(3));
                    entry.Steps ??= [];
                    entry.Steps.Add(step);
                }
            }
        }

        foreach (var entry in byId.Values)
        {
            if (entry.Steps is not null)
            {
                entry.Event.Path = entry.Steps;
            }
        }

        SortById(events, array.Length);
        return ValueTask.FromResult<IReadOnlyList<EventRecord>>(events);
    }

    public ValueTask InsertAttributionAsync(long contextId, long artifactId, CancellationToken cancellationToken)
    {
        var command = Command(InsertAttribution, 2, cancellationToken);
        Set(command, 0, contextId);
        Set(command, 1, artifactId);
        NonQuery(command);
        return ValueTask.CompletedTask;
    }

    public ValueTask InsertAssociationAsync(long contextId, long executionId, CancellationToken cancellationToken)
    {
        var command = Command(InsertAssociation, 2, cancellationToken);
        Set(command, 0, contextId);
        Set(command, 1, executionId);
        NonQuery(command);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<long>> GetContextIdsAsync(NodeKind memberKind, long memberId, CancellationToken cancellationToken)
    {
        var sql = memberKind switch
        {
            NodeKind.Artifact => SelectAttributedContexts,
            NodeKind.Execution => SelectAssociatedContexts,
            _ => throw new ArgumentOutOfRangeException(nameof(memberKind), memberKind, "Only artifacts and executions belong to contexts."),
        };
        var command = Command(sql, 1, cancellationToken);
        Set(command, 0, memberId);
        var ids = new List<long>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ValueTask.FromResult<IReadOnlyList<long>>(ids);
    }

    public ValueTask InsertParentContextAsync(long childId, long parentId, CancellationToken cancellationToken)
    {
        var command = Command(InsertParentContext, 2, cancellationToken);
        Set(command, 0, childId);
        Set(command, 1, parentId);
        NonQuery(command);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<ParentContext>> GetParentLinksAsync(IReadOnlyCollection<long> ids, bool byChild, CancellationToken cancellationToken)
    {
        var array = ToArray(ids);
        var links = new List<ParentContext>();
        for (var offset = 0; offset < array.Length; offset += MaxInList)
        {
            var command = InCommand(byChild ? SelectParentsByChild : SelectParentsByParent, 0, array, offset, cancellationToken);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                links.Add(new ParentContext(reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        if (array.Length > MaxInList)
        {
            links.Sort(ParentContextComparer.Instance);
        }

        return ValueTask.FromResult<IReadOnlyList<ParentContext>>(links);
    }

    /// <summary>Reads property rows: owner id, name, is_custom_property, then the value columns int, double, string, proto, bool.</summary>
    private static void ReadProperties(SqliteCommand command, SqliteNodeSql sql, List<PropertyRecord> properties)
    {
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var nodeId = reader.GetInt64(0);
            var name = reader.GetString(1);
            properties.Add(new PropertyRecord(nodeId, name, reader.GetInt64(2) != 0, ReadValue(reader, sql, nodeId, name)));
        }
    }

    private static PropertyValue ReadValue(SqliteDataReader reader, SqliteNodeSql sql, long nodeId, string name)
    {
        // MLMD's order: the first non-NULL of int, double, string (struct when prefixed), proto, bool decides the kind.
        if (!reader.IsDBNull(3))
        {
            return PropertyValue.FromInt(reader.GetInt64(3));
        }

        if (!reader.IsDBNull(4))
        {
            return PropertyValue.FromDouble(reader.GetDouble(4));
        }

        if (!reader.IsDBNull(5))
        {
            return PropertyCodec.DecodeText(reader.GetString(5));
        }

        if (!reader.IsDBNull(6))
        {
            // MLMD writes base64 text; a client may have stored the same text as a BLOB.
            return reader.GetValue(6) is byte[] bytes
                ? PropertyCodec.DecodeProtoBase64Utf8(bytes)
                : PropertyCodec.DecodeProtoBase64(reader.GetString(6));
        }

        if (!reader.IsDBNull(7))
        {
            return PropertyValue.FromBoolean(reader.GetInt64(7) != 0);
        }

        throw new MetadataStoreException(
            MetadataErrorCode.DataLoss,
            $"Property '{name}' of {sql.Table} {nodeId} has no value in any value column of {sql.PropertyTable}.");
    }

    private static void ReadNodes(SqliteCommand command, List<NodeRecord> nodes)
    {
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            nodes.Add(NodeRecord.FromRow(reader));
        }
    }

    private static void ReadTypes(SqliteCommand command, List<TypeRecord> types)
    {
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            types.Add(new TypeRecord
            {
                Id = reader.GetInt64(0),
                Name = reader.GetString(1),
                Version = reader.IsDBNull(2) ? null : reader.GetString(2),
                Kind = (TypeKind)reader.GetInt32(3),
                Description = reader.IsDBNull(4) ? null : reader.GetString(4),
                ExternalId = reader.IsDBNull(5) ? null : reader.GetString(5),
                InputType = reader.IsDBNull(6) ? null : reader.GetString(6),
                OutputType = reader.IsDBNull(7) ? null : reader.GetString(7),
            });
        }
    }

    private void ReadTypeDetails(List<TypeRecord> types, CancellationToken cancellationToken)
    {
        var ids = new long[types.Count];
        var byId = new Dictionary<long, TypeRecord>(types.Count);
        for (var i = 0; i < types.Count; i++)
        {
            ids[i] = types[i].Id;
            byId[types[i].Id] = types[i];
        }

        for (var offset = 0; offset < ids.Length; offset += MaxInList)
        {
            var command = InCommand(SelectTypeProperties, 0, ids, offset, cancellationToken);
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (byId.TryGetValue(reader.GetInt64(0), out var type))
                    {
                        type.Properties[reader.GetString(1)] = reader.IsDBNull(2) ? PropertyKind.Unknown : (PropertyKind)reader.GetInt32(2);
                    }
                }
            }

            command = InCommand(SelectBaseTypes, 0, ids, offset, cancellationToken);
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (byId.TryGetValue(reader.GetInt64(0), out var type))
                    {
                        type.BaseTypeName ??= reader.GetString(1);
                    }
                }
            }
        }
    }

    private void AddTypeProperty(long typeId, string name, PropertyKind kind, CancellationToken cancellationToken)
    {
        var command = Command(InsertTypeProperty, 3, cancellationToken);
        Set(command, 0, typeId);
        Set(command, 1, name);
        Set(command, 2, (long)kind);
        NonQuery(command);
    }

    private void AddBaseType(long typeId, TypeKind kind, string baseTypeName, CancellationToken cancellationToken)
    {
        var command = Command(InsertBaseType, 3, cancellationToken);
        Set(command, 0, typeId);
        Set(command, 1, baseTypeName);
        Set(command, 2, (long)kind);
        if (NonQuery(command) == 0)
        {
            throw new MetadataStoreException(MetadataErrorCode.Internal, $"The system type '{baseTypeName}' is missing from the database.");
        }
    }

    private void WriteProperty(string sql, PropertyRecord property, CancellationToken cancellationToken)
    {
        var command = Command(sql, 8, cancellationToken);
        Set(command, 0, property.NodeId);
        Set(command, 1, property.Name);
        Set(command, 2, property.IsCustom ? 1L : 0L);
        var value = property.Value;
        var column = PropertyCodec.ColumnOf(value.Kind);
        Set(command, 3, column == PropertyColumn.Int ? value.IntValue : null);
        Set(command, 4, column == PropertyColumn.Double ? value.DoubleValue : null);
        Set(command, 5, column == PropertyColumn.String ? PropertyCodec.EncodeText(value) : null);
        Set(command, 6, column == PropertyColumn.Proto ? PropertyCodec.EncodeProtoBase64(value) : null);
        Set(command, 7, column == PropertyColumn.Bool ? (value.BooleanValue ? 1L : 0L) : null);
        NonQuery(command);
    }

    private SqliteCommand Command(string sql, int parameterCount, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = session.Command(sql, parameterCount);
        command.Transaction = transaction;
        return command;
    }

    /// <summary>The cached statement for one chunk of an IN list, bound to values[offset..]; padding repeats the last value, which matches nothing new.</summary>
    private SqliteCommand InCommand<T>(string template, int fixedCount, T[] values, int offset, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var count = Math.Min(MaxInList, values.Length - offset);
        var size = BucketSize(count);
        var command = session.InCommand(template, fixedCount, size);
        command.Transaction = transaction;
        var parameters = command.Parameters;
        for (var i = 0; i < size; i++)
        {
            parameters[fixedCount + i].Value = values[offset + Math.Min(i, count - 1)];
        }

        return command;
    }

    private void ReadTypesIn<T>(string template, TypeKind kind, T[] values, List<TypeRecord> types, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < values.Length; offset += MaxInList)
        {
            var command = InCommand(template, 1, values, offset, cancellationToken);
            Set(command, 0, (long)kind);
            ReadTypes(command, types);
        }

        SortById(types, values.Length);
    }

    private void ReadNodesIn<T>(string template, T[] values, List<NodeRecord> nodes, CancellationToken cancellationToken)
    {
        nodes.Capacity = Math.Max(nodes.Capacity, values.Length);
        for (var offset = 0; offset < values.Length; offset += MaxInList)
        {
            ReadNodes(InCommand(template, 0, values, offset, cancellationToken), nodes);
        }

        SortById(nodes, values.Length);
    }

    private static int BucketSize(int count)
    {
        var size = 1;
        while (size < count)
        {
            size <<= 1;
        }

        return size;
    }

    private static void Set(SqliteCommand command, int index, object? value) => command.Parameters[index].Value = value ?? DBNull.Value;

    private static void Set(SqliteCommand command, int index, long value) => command.Parameters[index].Value = value;

    private static int NonQuery(SqliteCommand command)
    {
        try
        {
            return command.ExecuteNonQuery();
        }
        catch (SqliteException ex) when (!SqliteBackend.IsBusy(ex))
        {
            throw SqliteBackend.Translate(ex, command.Connection?.DataSource);
        }
    }

    // The connection's last rowid, not a RETURNING clause: RETURNING buffers each row through a temporary table
    // and a data reader, which cost more than the insert itself on a hot path.
    private static long InsertReturningId(SqliteCommand command)
    {
        try
        {
            command.ExecuteNonQuery();
            return SQLitePCL.raw.sqlite3_last_insert_rowid(command.Connection!.Handle);
        }
        catch (SqliteException ex) when (!SqliteBackend.IsBusy(ex))
        {
            throw SqliteBackend.Translate(ex, command.Connection?.DataSource);
        }
    }

    private static long[] ToArray(IReadOnlyCollection<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var result = new long[ids.Count];
        var i = 0;
        foreach (var id in ids)
        {
            result[i++] = id;
        }

        if (result.Length > MaxInList)
        {
            // Chunks must not overlap, or a repeated id would return its row twice.
            Array.Sort(result);
            var unique = 0;
            for (var j = 0; j < result.Length; j++)
            {
                if (j == 0 || result[j] != result[unique - 1])
                {
                    result[unique++] = result[j];
                }
            }

            Array.Resize(ref result, unique);
        }

        return result;
    }

    private static string[] ToArray(IReadOnlyCollection<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count > MaxInList)
        {
            // Chunks must not overlap, or a repeated value would return its row twice.
            return new HashSet<string>(values, StringComparer.Ordinal).ToArray();
        }

        var result = new string[values.Count];
        var i = 0;
        foreach (var value in values)
        {
            result[i++] = value;
        }

        return result;
    }

    private static void SortById(List<TypeRecord> types, int requested)
    {
        if (requested > MaxInList)
        {
            types.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        }
    }

    private static void SortById(List<NodeRecord> nodes, int requested)
    {
        if (requested > MaxInList)
        {
            nodes.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        }
    }

    private static void SortById(List<EventRecord> events, int requested)
    {
        if (requested > MaxInList)
        {
            events.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        }
    }

    private sealed class ParentContextComparer : IComparer<ParentContext>
    {
        public static readonly ParentContextComparer Instance = new();

        public int Compare(ParentContext? x, ParentContext? y)
        {
            var byChild = x!.ChildId.CompareTo(y!.ChildId);
            return byChild != 0 ? byChild : x.ParentId.CompareTo(y.ParentId);
        }
    }
}
