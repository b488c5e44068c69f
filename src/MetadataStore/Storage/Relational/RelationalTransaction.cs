using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MetadataStore.Storage.Relational;

/// <summary>
/// Record-level reads and writes on one session's connection inside one transaction, in the dialect's SQL.
/// Statements come from the session's prepared-statement cache; id lists are read in chunks through <c>IN</c> lists
/// of bound parameters whose sizes are powers of two (padded with the last id), so a handful of prepared statements
/// serve every list. Statements run synchronously (the unit of work already runs off the caller's thread, and an
/// embedded provider is synchronous underneath); the token is checked before each statement. On a dialect that
/// batches (<see cref="SqlDialect.BatchesStatements"/>), writes whose result is not needed are held back and sent in
/// one batch with the next statement, and the commit with the last ones. A unique-key violation becomes a
/// <see cref="StorageConstraintException"/> naming the table written; other provider errors propagate to the unit of
/// work, which classifies them.
/// </summary>
internal sealed partial class RelationalTransaction(RelationalSession session, DbTransaction transaction, string? database, bool write) : IStorageTransaction
{
    private readonly SqlDialect _dialect = session.Dialect;
    private readonly SqlCatalog _sql = session.Dialect.Catalog;
    private readonly bool _listsAsArrays = session.Dialect.BindsListsAsArrays;
    private readonly int _maxInList = session.Dialect.BindsListsAsArrays ? int.MaxValue : session.Dialect.MaxInListSize;
    private readonly bool _refuseNul = !session.Dialect.TextHoldsNul;

    // The most parameters one multi-row statement binds (PostgreSQL's limit is 65,535).
    private const int MaxParameters = 32_000;

    private static readonly object BoxedZero = 0L;
    private static readonly object BoxedOne = 1L;

    private readonly bool _batches = session.Dialect.BatchesStatements && session.Connection.CanCreateBatch;

    // Held statements (dialects that batch): the batch being built, and per statement what a refusal reports.
    private DbBatch? _batch;
    private readonly List<Held> _held = [];

    // The last batch sent; its reader may still be open until the next statement.
    private DbBatch? _sent;

    // Insert statements of this transaction, by node kind (and value column): a bulk write reuses them per row
    // without hashing their text in the session's cache.
    private DbCommand?[]? _insertNode;
    private DbCommand?[]? _insertProperty;

    public ValueTask<IReadOnlyList<TypeRecord>> GetTypesAsync(TypeKind kind, TypeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var types = new List<TypeRecord>();
        switch (query)
        {
            case TypeQuery.All:
            {
                var command = Command(_sql.Types.SelectAll, 1, cancellationToken);
                Set(command, 0, (long)kind);
                ReadTypes(command, types);
                break;
            }

            case TypeQuery.ByIds byIds:
                ReadTypesIn(_sql.Types.SelectByIds, kind, ToArray(byIds.Ids), types, cancellationToken);
                break;

            case TypeQuery.ByExternalIds byExternalIds:
                ReadTypesIn(_sql.Types.SelectByExternalIds, kind, ToArray(byExternalIds.ExternalIds), types, cancellationToken);
                break;

            case TypeQuery.ByName byName:
            {
                var command = byName.Version is null
                    ? Command(_sql.Types.SelectByName, 2, cancellationToken)
                    : Command(_sql.Types.SelectByNameAndVersion, 3, cancellationToken);
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
        var command = Command(_sql.Types.Insert, 7, cancellationToken);
        Set(command, 0, type.Name);
        Set(command, 1, (long)type.Kind);
        Set(command, 2, type.Version);
        Set(command, 3, type.Description);
        Set(command, 4, type.InputType);
        Set(command, 5, type.OutputType);
        Set(command, 6, type.ExternalId);
        var id = InsertReturningId(command, "Type");
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
        var command = Command(_sql.Types.UpdateExternalId, 2, cancellationToken);
        Set(command, 0, type.Id);
        Set(command, 1, type.ExternalId);
        NonQuery(command, "Type");
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
        _insertNode ??= new DbCommand?[3];
        ref var command = ref _insertNode[(int)kind];
        if (command is null)
        {
            var sql = _sql.Node(kind);
            command = Command(sql.Insert, sql.InsertParameterCount, cancellationToken);
        }

        Set(command, 0, node.TypeId);
        var i = SetAttributes(command, 1, kind, node);
        Set(command, i++, node.CreateTime);
        Set(command, i, node.LastUpdateTime);
        return ValueTask.FromResult(InsertReturningId(command, _sql.Node(kind).TableName));
    }

    public async ValueTask<IReadOnlyList<long>> InsertNodesAsync(NodeKind kind, IReadOnlyList<NodeRecord> nodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var sql = _sql.Node(kind);
        var ids = new long[nodes.Count];
        var reserve = nodes.Count > 1 && _dialect.MaxRowsPerInsert > 1 ? _dialect.ReserveIds(sql.TableName) : null;
        if (reserve is null)
        {
            for (var i = 0; i < nodes.Count; i++)
            {
                try
                {
                    ids[i] = await InsertNodeAsync(kind, nodes[i], cancellationToken).ConfigureAwait(false);
                }
                catch (StorageConstraintException ex) when (ex.Row is null)
                {
                    throw new StorageConstraintException(ex.Table, ex.Message, ex.InnerException) { Row = i };
                }
            }

            return ids;
        }

        // Ids first, so each row's id is known whichever rows a unique key refuses.
        var reserveCommand = Command(reserve, 1, cancellationToken);
        Set(reserveCommand, 0, (long)nodes.Count);
        using (var reader = Reader(reserveCommand))
        {
            for (var i = 0; reader.Read(); i++)
            {
                ids[i] = reader.GetInt64(0);
            }
        }

        var written = new HashSet<long>(nodes.Count);
        if (sql.InsertFromArrays is { } fromArrays)
        {
            var arrays = NodeArrays(kind, nodes, ids);
            var arrayCommand = Command(fromArrays, arrays.Length, cancellationToken);
            for (var c = 0; c < arrays.Length; c++)
            {
                arrayCommand.Parameters[c].Value = arrays[c];
            }

            using (var reader = Reader(arrayCommand, sql.TableName))
            {
                while (reader.Read())
                {
                    written.Add(reader.GetInt64(0));
                }
            }

            RequireWritten(sql.TableName, ids, written, 0, ids.Length);
            return ids;
        }

        var perRow = sql.InsertParameterCount + 1;
        var chunk = Math.Max(1, Math.Min(_dialect.MaxRowsPerInsert, MaxParameters / perRow));
        for (var start = 0; start < nodes.Count; start += chunk)
        {
            var count = Math.Min(chunk, nodes.Count - start);
            var command = Command(sql.InsertRows(count), count * perRow, cancellationToken);
            for (var r = 0; r < count; r++)
            {
                var node = nodes[start + r];
                var at = r * perRow;
                Set(command, at, ids[start + r]);
                Set(command, at + 1, node.TypeId);
                var i = SetAttributes(command, at + 2, kind, node);
                Set(command, i++, node.CreateTime);
                Set(command, i, node.LastUpdateTime);
            }

            using (var reader = Reader(command, sql.TableName))
            {
                while (reader.Read())
                {
                    written.Add(reader.GetInt64(0));
                }
            }

            RequireWritten(sql.TableName, ids, written, start, count);
        }

        return ids;
    }

    /// <summary>Refuses the batch at its first row a unique key ignored.</summary>
    private void RequireWritten(string table, long[] ids, HashSet<long> written, int start, int count)
    {
        for (var r = start; r < start + count; r++)
        {
            if (!written.Contains(ids[r]))
            {
                throw new StorageConstraintException(
                    table,
                    $"A row of {table} with the same key already exists{(database is null ? string.Empty : " in " + database)} (row {r} of the batch).",
                    null) { Row = r };
            }
        }
    }

    /// <summary>The column arrays of node rows for <see cref="NodeSql.InsertFromArrays"/>: ids, then the insert columns in catalogue order.</summary>
    private object[] NodeArrays(NodeKind kind, IReadOnlyList<NodeRecord> nodes, long[] ids)
    {
        var n = nodes.Count;
        var typeIds = new long[n];
        var uris = new string?[n];
        var states = new int?[n];
        var names = new string?[n];
        var externalIds = new string?[n];
        var created = new long[n];
        var updated = new long[n];
        for (var i = 0; i < n; i++)
        {
            var node = nodes[i];
            typeIds[i] = node.TypeId;
            uris[i] = (string?)CheckText(node.Uri);
            states[i] = node.State;
            names[i] = (string?)CheckText(node.Name);
            externalIds[i] = (string?)CheckText(node.ExternalId);
            created[i] = node.CreateTime;
            updated[i] = node.LastUpdateTime;
        }

        return kind switch
        {
            NodeKind.Artifact => [ids, typeIds, uris, states, names, externalIds, created, updated],
            NodeKind.Execution => [ids, typeIds, states, names, externalIds, created, updated],
            _ => [ids, typeIds, names, externalIds, created, updated],
        };
    }

    public async ValueTask InsertPropertiesAsync(NodeKind kind, IReadOnlyList<PropertyRecord> properties, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(properties);
        if (properties.Count <= 1 || _dialect.MaxRowsPerInsert <= 1)
        {
            foreach (var property in properties)
            {
                await InsertPropertyAsync(kind, property, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var sql = _sql.Node(kind);
        if (sql.InsertPropertiesFromArrays is { } fromArrays)
        {
            var n = properties.Count;
            var owners = new long[n];
            var names = new string[n];
            var custom = new bool[n];
            var ints = new long?[n];
            var doubles = new double?[n];
            var strings = new string?[n];
            var protos = new byte[]?[n];
            var bools = new bool?[n];
            for (var i = 0; i < n; i++)
            {
                var property = properties[i];
                var value = property.Value;
                owners[i] = property.NodeId;
                names[i] = (string)CheckText(property.Name)!;
                custom[i] = property.IsCustom;
                ints[i] = value.Int;
                doubles[i] = value.Double;
                strings[i] = (string?)CheckText(value.String);
                protos[i] = value.Proto;
                bools[i] = value.Bool;
            }

            var arrayCommand = Command(fromArrays, 8, cancellationToken);
            object[] arrays = [owners, names, custom, ints, doubles, strings, protos, bools];
            for (var c = 0; c < arrays.Length; c++)
            {
                arrayCommand.Parameters[c].Value = arrays[c];
            }

            Write(arrayCommand, sql.PropertyTableName);
            return;
        }

        var chunk = Math.Max(1, Math.Min(_dialect.MaxRowsPerInsert, MaxParameters / 8));
        for (var start = 0; start < properties.Count; start += chunk)
        {
            var count = Math.Min(chunk, properties.Count - start);
            var command = Command(sql.InsertPropertyRows(count), count * 8, cancellationToken);
            for (var r = 0; r < count; r++)
            {
                var property = properties[start + r];
                var value = property.Value;
                var at = r * 8;
                Set(command, at, property.NodeId);
                Set(command, at + 1, property.Name);
                Set(command, at + 2, _dialect.BoolValue(property.IsCustom));
                Set(command, at + 3, value.Int);
                Set(command, at + 4, value.Double);
                Set(command, at + 5, value.String);
                Set(command, at + 6, value.Proto is null ? null : _dialect.EncodeProto(value.Proto));
                Set(command, at + 7, value.Bool is bool b ? _dialect.BoolValue(b) : null);
            }

            Write(command, sql.PropertyTableName);
        }
    }

    public ValueTask UpdateNodeAsync(NodeKind kind, NodeRecord node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        var sql = _sql.Node(kind);
        var command = Command(sql.Update, sql.UpdateParameterCount, cancellationToken);
        Set(command, 0, node.Id);
        var i = SetAttributes(command, 1, kind, node);
        Set(command, i, node.LastUpdateTime);
        NonQuery(command, sql.TableName);
        return ValueTask.CompletedTask;
    }

    /// <summary>Binds the attribute columns insert and update share, in catalogue order, from <paramref name="index"/>; returns the next index.</summary>
    private int SetAttributes(DbCommand command, int index, NodeKind kind, NodeRecord node)
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
        var sql = _sql.Node(kind);
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

    public ValueTask<IReadOnlyList<NodeRecord>> GetNodesWithPropertiesAsync(NodeKind kind, NodeQuery query, IPropertyRowSink properties, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(properties);
        return !_batches || !_listsAsArrays || query is not NodeQuery.ByIds byIds
            ? StorageTransactionDefaults.GetNodesWithPropertiesAsync(this, kind, query, properties, cancellationToken)
            : ValueTask.FromResult(ReadNodesWithProperties(kind, byIds, properties, cancellationToken));
    }

    private IReadOnlyList<NodeRecord> ReadNodesWithProperties(NodeKind kind, NodeQuery.ByIds byIds, IPropertyRowSink properties, CancellationToken cancellationToken)
    {
        // Both statements in one round trip, each with the whole id list as one array: properties of ids that name no
        // node do not exist, so the requested ids select the same rows as the found ones.
        var sql = _sql.Node(kind);
        var ids = ToArray(byIds.Ids);
        var nodes = new List<NodeRecord>(ids.Length);
        if (ids.Length == 0)
        {
            return nodes;
        }

        var select = InCommand(sql.SelectByIds, 0, ids, 0, cancellationToken);
        Hold(select.CommandText, select.Parameters, string.Empty, returnsRows: true, null, reader => ReadNodes(reader, nodes));
        ReadProperties(InCommand(sql.SelectProperties, 0, ids, 0, cancellationToken), properties);
        return nodes;
    }

    public ValueTask<IReadOnlyList<NodeRecord>> ListNodesAsync(NodeListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var builder = KeysetPager.Build(_dialect, query, names => ResolveTypeIds(query.Kind, names, cancellationToken));

        var nodes = new List<NodeRecord>(Math.Min(query.Limit, 1024));
        var command = session.BuiltCommand(builder.Build(), builder.Values, out var cached);
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
        for (var offset = 0; offset < array.Length; offset += _maxInList)
        {
            var command = InCommand(_sql.Types.SelectIdsByNames, 1, array, offset, cancellationToken);
            Set(command, 0, (long)typeKind);
            using var reader = Reader(command);
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
        var sql = _sql.Node(kind);
        var found = new HashSet<long>();
        for (var offset = 0; offset < array.Length; offset += _maxInList)
        {
            var command = InCommand(sql.SelectExistingIds, 0, array, offset, cancellationToken);
            using var reader = Reader(command);
            while (reader.Read())
            {
                found.Add(reader.GetInt64(0));
            }
        }

        return ValueTask.FromResult<IReadOnlySet<long>>(found);
    }

    public async ValueTask<StorageRead<IReadOnlySet<long>>> StartGetExistingIdsAsync(NodeKind kind, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (!_batches || !_listsAsArrays || ids.Count == 0)
        {
            return new StorageRead<IReadOnlySet<long>>(await GetExistingIdsAsync(kind, ids, cancellationToken).ConfigureAwait(false));
        }

        var found = new HashSet<long>();
        var read = new StorageRead<IReadOnlySet<long>>(SendHeldAsync);
        var command = InCommand(_sql.Node(kind).SelectExistingIds, 0, ToArray(ids), 0, cancellationToken);
        Hold(command.CommandText, command.Parameters, string.Empty, returnsRows: true, null, reader =>
        {
            while (reader.Read())
            {
                found.Add(reader.GetInt64(0));
            }

            read.SetResult(found);
        });
        return read;
    }

    public async ValueTask<StorageRead<IReadOnlyList<NodeRecord>>> StartGetNodesAsync(NodeKind kind, NodeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!_batches || query is not NodeQuery.ByTypeAndName byTypeAndName)
        {
            return new StorageRead<IReadOnlyList<NodeRecord>>(await GetNodesAsync(kind, query, cancellationToken).ConfigureAwait(false));
        }

        var nodes = new List<NodeRecord>();
        var read = new StorageRead<IReadOnlyList<NodeRecord>>(SendHeldAsync);
        var command = Command(_sql.Node(kind).SelectByTypeAndName, 2, cancellationToken);
        Set(command, 0, byTypeAndName.TypeId);
        Set(command, 1, byTypeAndName.Name);
        Hold(command.CommandText, command.Parameters, string.Empty, returnsRows: true, null, reader =>
        {
            while (reader.Read())
            {
                nodes.Add(ReadNode(reader));
            }

            read.SetResult(nodes);
        });
        return read;
    }

    public ValueTask<IReadOnlyList<PropertyRecord>> GetPropertiesAsync(NodeKind kind, IReadOnlyCollection<long> nodeIds, CancellationToken cancellationToken)
    {
        var properties = new PropertyRecordList();
        ReadProperties(kind, nodeIds, properties, cancellationToken);
        return ValueTask.FromResult<IReadOnlyList<PropertyRecord>>(properties);
    }

    public ValueTask GetPropertiesAsync(NodeKind kind, IReadOnlyCollection<long> nodeIds, IPropertyRowSink properties, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ReadProperties(kind, nodeIds, properties, cancellationToken);
        return ValueTask.CompletedTask;
    }

    private void ReadProperties(NodeKind kind, IReadOnlyCollection<long> nodeIds, IPropertyRowSink properties, CancellationToken cancellationToken)
    {
        var ids = ToArray(nodeIds);
        var sql = _sql.Node(kind);
        for (var offset = 0; offset < ids.Length; offset += _maxInList)
        {
            ReadProperties(InCommand(sql.SelectProperties, 0, ids, offset, cancellationToken), properties);
        }
    }

    public ValueTask InsertPropertyAsync(NodeKind kind, PropertyRecord property, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(property);
        cancellationToken.ThrowIfCancellationRequested();
        var value = property.Value;
        var column = value.Column ?? throw new ArgumentException($"Property '{property.Name}' has no value.", nameof(property));
        _insertProperty ??= new DbCommand?[3 * 5];
        ref var command = ref _insertProperty[((int)kind * 5) + (int)column];
        command ??= Command(_sql.Node(kind).InsertPropertyInto[(int)column], 4, cancellationToken);
        Set(command, 0, property.NodeId);
        Set(command, 1, property.Name);
        command.Parameters[2].Value = _dialect.BoolValue(property.IsCustom);
        Set(command, 3, column switch
        {
            PropertyColumn.Int => value.Int!.Value,
            PropertyColumn.Double => value.Double!.Value,
            PropertyColumn.String => value.String,
            PropertyColumn.Proto => _dialect.EncodeProto(value.Proto!),
            _ => _dialect.BoolValue(value.Bool!.Value),
        });
        Write(command, _sql.Node(kind).PropertyTableName);
        return ValueTask.CompletedTask;
    }

    public ValueTask UpdatePropertyAsync(NodeKind kind, PropertyRecord property, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(property);
        var sql = _sql.Node(kind);
        WriteProperty(sql.UpdateProperty, sql.PropertyTableName, property, cancellationToken);
        return ValueTask.CompletedTask;
    }

    public ValueTask DeletePropertyAsync(NodeKind kind, long nodeId, string name, bool isCustom, CancellationToken cancellationToken)
    {
        var command = Command(_sql.Node(kind).DeleteProperty, 3, cancellationToken);
        Set(command, 0, nodeId);
        Set(command, 1, name);
        Set(command, 2, _dialect.BoolValue(isCustom));
        Write(command, _sql.Node(kind).PropertyTableName);
        return ValueTask.CompletedTask;
    }

    public ValueTask InsertEventAsync(EventRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var command = Command(_sql.Events.Insert, 4, cancellationToken);
        Set(command, 0, record.ArtifactId);
        Set(command, 1, record.ExecutionId);
        Set(command, 2, (long)record.Type);
        Set(command, 3, record.Time);
        Write(command, "Event", record);
        InsertPath(record, cancellationToken);
        return ValueTask.CompletedTask;
    }

    private void InsertPath(EventRecord record, CancellationToken cancellationToken)
    {
        var path = record.Path;
        for (var i = 0; i < path.Count; i++)
        {
            var step = path[i];
            var stepCommand = Command(_sql.Events.InsertPath, 8, cancellationToken);
            Set(stepCommand, 0, record.ArtifactId);
            Set(stepCommand, 1, record.ExecutionId);
            Set(stepCommand, 2, (long)record.Type);
            Set(stepCommand, 3, _dialect.BoolValue(step.IsIndex));
            Set(stepCommand, 4, step.Index);
            Set(stepCommand, 5, step.Key);
            Set(stepCommand, 6, (long)i);
            Set(stepCommand, 7, (long)path.Count);
            Write(stepCommand, "EventPath", record);
        }
    }

    public ValueTask InsertEventsAsync(IReadOnlyList<EventRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (!_batches || records.Count <= 1 || _dialect.MaxRowsPerInsert <= 1)
        {
            return StorageTransactionDefaults.InsertEventsAsync(this, records, cancellationToken);
        }

        // The rows in multi-row statements, then each path step; all held for the next round trip.
        var chunk = Math.Min(_dialect.MaxRowsPerInsert, MaxParameters / 4);
        for (var start = 0; start < records.Count; start += chunk)
        {
            var count = Math.Min(chunk, records.Count - start);
            var command = Command(_sql.Events.InsertRows(count), count * 4, cancellationToken);
            for (var r = 0; r < count; r++)
            {
                var record = records[start + r];
                Set(command, r * 4, record.ArtifactId);
                Set(command, (r * 4) + 1, record.ExecutionId);
                Set(command, (r * 4) + 2, (long)record.Type);
                Set(command, (r * 4) + 3, record.Time);
            }

            Write(command, "Event", records);
        }

        foreach (var record in records)
        {
            InsertPath(record, cancellationToken);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<EventRecord>> GetEventsAsync(bool byArtifact, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var array = ToArray(ids);
        var events = new List<EventRecord>();
        var byId = new Dictionary<long, (int Index, List<EventStep>? Steps)>();
        for (var offset = 0; offset < array.Length; offset += _maxInList)
        {
            var command = InCommand(byArtifact ? _sql.Events.SelectByArtifact : _sql.Events.SelectByExecution, 0, array, offset, cancellationToken);
            using (var reader = Reader(command))
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
                    if (byId.TryAdd(record.Id, (events.Count, null)))
                    {
                        events.Add(record);
                    }
                }
            }

            if (byId.Count == 0)
            {
                continue;
            }

            command = InCommand(byArtifact ? _sql.Events.SelectPathsByArtifact : _sql.Events.SelectPathsByExecution, 0, array, offset, cancellationToken);
            using (var reader = Reader(command))
            {
                while (reader.Read())
                {
                    var eventId = reader.GetInt64(0);
                    ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(byId, eventId);
                    if (Unsafe.IsNullRef(ref entry))
                    {
                        continue;
                    }

                    var step = _dialect.ReadBool(reader, 1)
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
                events[entry.Index] = events[entry.Index] with { Path = entry.Steps };
            }
        }

        SortById(events, array.Length);
        return ValueTask.FromResult<IReadOnlyList<EventRecord>>(events);
    }

    // Attributions and associations are insert-or-ignore: nothing to report, so they may be held.
    public ValueTask InsertAttributionAsync(long contextId, long artifactId, CancellationToken cancellationToken) =>
        InsertEdge(_sql.Edges.InsertAttribution, contextId, artifactId, "Attribution", hold: true, cancellationToken);

    public ValueTask InsertAttributionsAsync(long contextId, IReadOnlyList<long> artifactIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifactIds);
        if (!_batches || artifactIds.Count <= 1 || _dialect.MaxRowsPerInsert <= 1)
        {
            return StorageTransactionDefaults.InsertAttributionsAsync(this, contextId, artifactIds, cancellationToken);
        }

        var chunk = Math.Min(_dialect.MaxRowsPerInsert, MaxParameters / 2);
        for (var start = 0; start < artifactIds.Count; start += chunk)
        {
            var count = Math.Min(chunk, artifactIds.Count - start);
            var command = Command(_sql.Edges.InsertAttributionRows(count), count * 2, cancellationToken);
            for (var r = 0; r < count; r++)
            {
                Set(command, r * 2, contextId);
                Set(command, (r * 2) + 1, artifactIds[start + r]);
            }

            Write(command, "Attribution");
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask InsertAssociationAsync(long contextId, long executionId, CancellationToken cancellationToken) =>
        InsertEdge(_sql.Edges.InsertAssociation, contextId, executionId, "Association", hold: true, cancellationToken);

    // Attributions, associations and parent links: a two-id row in the named table.
    private ValueTask InsertEdge(string sql, long first, long second, string table, bool hold, CancellationToken cancellationToken)
    {
        var command = Command(sql, 2, cancellationToken);
        Set(command, 0, first);
        Set(command, 1, second);
        if (hold)
        {
            Write(command, table);
        }
        else
        {
            NonQuery(command, table);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<long>> GetContextIdsAsync(NodeKind memberKind, long memberId, CancellationToken cancellationToken)
    {
        var sql = memberKind switch
        {
            NodeKind.Artifact => _sql.Edges.SelectAttributedContexts,
            NodeKind.Execution => _sql.Edges.SelectAssociatedContexts,
            _ => throw new ArgumentOutOfRangeException(nameof(memberKind), memberKind, "Only artifacts and executions belong to contexts."),
        };
        var command = Command(sql, 1, cancellationToken);
        Set(command, 0, memberId);
        var ids = new List<long>();
        using var reader = Reader(command);
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ValueTask.FromResult<IReadOnlyList<long>>(ids);
    }

    public ValueTask InsertParentContextAsync(long childId, long parentId, CancellationToken cancellationToken) =>
        InsertEdge(_sql.Edges.InsertParentContext, childId, parentId, "ParentContext", hold: false, cancellationToken);

    public ValueTask<IReadOnlyList<ParentContext>> GetParentLinksAsync(IReadOnlyCollection<long> ids, bool byChild, CancellationToken cancellationToken)
    {
        var array = ToArray(ids);
        var links = new List<ParentContext>();
        for (var offset = 0; offset < array.Length; offset += _maxInList)
        {
            var command = InCommand(byChild ? _sql.Edges.SelectParentsByChild : _sql.Edges.SelectParentsByParent, 0, array, offset, cancellationToken);
            using var reader = Reader(command);
            while (reader.Read())
            {
                links.Add(new ParentContext(reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        if (array.Length > _maxInList)
        {
            links.Sort(ParentContextComparer.Instance);
        }

        return ValueTask.FromResult<IReadOnlyList<ParentContext>>(links);
    }

    /// <summary>Reads property rows: owner id, name, is_custom_property, then the value columns int, double, string, proto, bool.</summary>
    internal void ReadProperties(DbCommand command, IPropertyRowSink properties)
    {
        using var reader = Reader(command);
        ReadProperties(reader, properties);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadProperties(DbDataReader reader, IPropertyRowSink properties)
    {
        while (reader.Read())
        {
            var value = new StoredValue(
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : _dialect.ReadProto(reader, 6),
                reader.IsDBNull(7) ? null : _dialect.ReadBool(reader, 7));
            properties.Add(reader.GetInt64(0), reader.GetString(1), _dialect.ReadBool(reader, 2), in value);
        }
    }

    /// <summary>Reads a node row whose columns are, in order: id, type_id, type name, name, external_id, uri, state, create time, last update time.</summary>
    internal static NodeRecord ReadNode(DbDataReader row) => new()
    {
        Id = row.GetInt64(0),
        TypeId = row.GetInt64(1),
        TypeName = row.IsDBNull(2) ? null : row.GetString(2),
        Name = row.IsDBNull(3) ? null : row.GetString(3),
        ExternalId = row.IsDBNull(4) ? null : row.GetString(4),
        Uri = row.IsDBNull(5) ? null : row.GetString(5),
        State = row.IsDBNull(6) ? null : row.GetInt32(6),
        CreateTime = row.GetInt64(7),
        LastUpdateTime = row.GetInt64(8),
    };

    private void ReadNodes(DbCommand command, List<NodeRecord> nodes)
    {
        using var reader = Reader(command);
        ReadNodes(reader, nodes);
    }

    // Row loops run a few times per process over thousands of rows: compiled optimized at once, not tiered up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadNodes(DbDataReader reader, List<NodeRecord> nodes)
    {
        while (reader.Read())
        {
            nodes.Add(ReadNode(reader));
        }
    }

    private void ReadTypes(DbCommand command, List<TypeRecord> types)
    {
        using var reader = Reader(command);
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

    /// <summary>Reads the properties and base types of <paramref name="types"/> and puts them into the records.</summary>
    private void ReadTypeDetails(List<TypeRecord> types, CancellationToken cancellationToken)
    {
        var ids = new long[types.Count];
        var details = new Dictionary<long, (Dictionary<string, PropertyKind> Properties, string? Base)>(types.Count);
        for (var i = 0; i < types.Count; i++)
        {
            ids[i] = types[i].Id;
            details[types[i].Id] = (new Dictionary<string, PropertyKind>(StringComparer.Ordinal), null);
        }

        for (var offset = 0; offset < ids.Length; offset += _maxInList)
        {
            var command = InCommand(_sql.Types.SelectProperties, 0, ids, offset, cancellationToken);
            using (var reader = Reader(command))
            {
                while (reader.Read())
                {
                    if (details.TryGetValue(reader.GetInt64(0), out var type))
                    {
                        type.Properties[reader.GetString(1)] = reader.IsDBNull(2) ? PropertyKind.Unknown : (PropertyKind)reader.GetInt32(2);
                    }
                }
            }

            command = InCommand(_sql.Types.SelectBaseTypes, 0, ids, offset, cancellationToken);
            using (var reader = Reader(command))
            {
                while (reader.Read())
                {
                    ref var type = ref CollectionsMarshal.GetValueRefOrNullRef(details, reader.GetInt64(0));
                    if (!Unsafe.IsNullRef(ref type))
                    {
                        type.Base ??= reader.GetString(1);
                    }
                }
            }
        }

        for (var i = 0; i < types.Count; i++)
        {
            var (properties, baseName) = details[types[i].Id];
            types[i] = types[i] with { Properties = properties, BaseTypeName = baseName };
        }
    }

    private void AddTypeProperty(long typeId, string name, PropertyKind kind, CancellationToken cancellationToken)
    {
        var command = Command(_sql.Types.InsertProperty, 3, cancellationToken);
        Set(command, 0, typeId);
        Set(command, 1, name);
        Set(command, 2, (long)kind);
        NonQuery(command, "TypeProperty");
    }

    private void AddBaseType(long typeId, TypeKind kind, string baseTypeName, CancellationToken cancellationToken)
    {
        var command = Command(_sql.Types.InsertBaseType, 3, cancellationToken);
        Set(command, 0, typeId);
        Set(command, 1, baseTypeName);
        Set(command, 2, (long)kind);
        if (NonQuery(command, "ParentType") == 0)
        {
            throw new MetadataStoreException(MetadataErrorCode.Internal, $"The system type '{baseTypeName}' is missing from the database.");
        }
    }

    private void WriteProperty(string sql, string table, PropertyRecord property, CancellationToken cancellationToken)
    {
        var command = Command(sql, 8, cancellationToken);
        var value = property.Value;
        Set(command, 0, property.NodeId);
        Set(command, 1, property.Name);
        Set(command, 2, _dialect.BoolValue(property.IsCustom));
        Set(command, 3, value.Int);
        Set(command, 4, value.Double);
        Set(command, 5, value.String);
        Set(command, 6, value.Proto is null ? null : _dialect.EncodeProto(value.Proto));
        Set(command, 7, value.Bool is bool b ? _dialect.BoolValue(b) : null);
        Write(command, table);
    }

    private DbCommand Command(string sql, int parameterCount, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = session.Command(sql, parameterCount);
        command.Transaction = transaction;
        return command;
    }

    /// <summary>The cached statement for one chunk of an IN list, bound to values[offset..]; padding repeats the last value, which matches nothing new.</summary>
    private DbCommand InCommand<T>(string template, int fixedCount, T[] values, int offset, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var count = Math.Min(_maxInList, values.Length - offset);
        var size = BucketSize(count);
        var command = session.InCommand(template, fixedCount, size);
        command.Transaction = transaction;
        var parameters = command.Parameters;
        if (_listsAsArrays)
        {
            // One chunk (offset 0): the whole list is the one array parameter.
            foreach (var value in values)
            {
                CheckText(value);
            }

            parameters[fixedCount].Value = values;
            return command;
        }

        for (var i = 0; i < size; i++)
        {
            parameters[fixedCount + i].Value = CheckText(values[offset + Math.Min(i, count - 1)]);
        }

        return command;
    }

    private void ReadTypesIn<T>(string template, TypeKind kind, T[] values, List<TypeRecord> types, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < values.Length; offset += _maxInList)
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
        for (var offset = 0; offset < values.Length; offset += _maxInList)
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

    private void Set(DbCommand command, int index, object? value) => command.Parameters[index].Value = CheckText(value) ?? DBNull.Value;

    /// <summary>Refuses text with U+0000 for a database that cannot hold it, before anything is sent.</summary>
    private object? CheckText(object? value)
    {
        if (_refuseNul && value is string text && text.Contains('\0', StringComparison.Ordinal))
        {
            throw new MetadataStoreException(
                MetadataErrorCode.InvalidArgument,
                $"{_dialect.Name} cannot hold the character U+0000 (NUL) in text, and a value to store or look up contains it.");
        }

        return value;
    }

    private static void Set(DbCommand command, int index, long value) => command.Parameters[index].Value = value;

    /// <summary>Takes the dialect's write lock first in a writing transaction: held for the first statement, or run now.</summary>
    internal void Begin()
    {
        if (write && _dialect.WriteLockStatement is { } sql)
        {
            if (_batches)
            {
                Hold(sql, null, string.Empty, returnsRows: true, null);
            }
            else
            {
                using var command = session.Connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                command.ExecuteNonQuery();
            }
        }
    }

    /// <summary>
    /// Sends what is still held; returns true when that also committed the transaction (<see cref="SqlDialect.CommitsInBatch"/>),
    /// false when the caller still commits.
    /// </summary>
    internal bool Complete()
    {
        if (_held.Count == 0 || (_held.Count == 1 && _held[0].ReturnsRows && write))
        {
            // Nothing, or only the write lock of a transaction that wrote nothing: nothing to send.
            _held.Clear();
            _batch = null;
            DisposeSent();
            return false;
        }

        var commits = _dialect.CommitsInBatch;
        if (commits)
        {
            Hold("COMMIT", null, string.Empty, returnsRows: false, null);
        }

        Send(keepLast: false);
        DisposeSent();
        return commits;
    }

    /// <summary>
    /// Runs a write whose result is not needed: at once, or held for the next statement on a dialect that batches. A
    /// unique-key violation becomes a <see cref="StorageConstraintException"/> naming <paramref name="table"/> (and
    /// <paramref name="record"/> when it surfaces at a later statement).
    /// </summary>
    private void Write(DbCommand command, string table, object? record = null)
    {
        if (_batches)
        {
            Hold(command.CommandText, command.Parameters, table, returnsRows: false, record);
        }
        else
        {
            NonQuery(command, table);
        }
    }

    /// <summary>Runs a write on <paramref name="table"/> now (after anything held) and returns the rows it changed.</summary>
    private int NonQuery(DbCommand command, string table)
    {
        if (_held.Count > 0)
        {
            var last = Hold(command.CommandText, command.Parameters, table, returnsRows: false, null);
            Send(keepLast: false);
            return last.RecordsAffected;
        }

        try
        {
            return command.ExecuteNonQuery();
        }
        catch (DbException ex) when (_dialect.Classify(ex) is { Kind: StorageErrorKind.UniqueViolation } error)
        {
            throw new StorageConstraintException(table, ConstraintMessage(table, error), ex);
        }
    }

    private long InsertReturningId(DbCommand command, string table)
    {
        if (_held.Count > 0)
        {
            // A batching dialect's insert returns the id as its one row.
            using var reader = Reader(command, table);
            reader.Read();
            return reader.GetInt64(0);
        }

        try
        {
            return _dialect.ExecuteInsert(command);
        }
        catch (DbException ex) when (_dialect.Classify(ex) is { Kind: StorageErrorKind.UniqueViolation } error)
        {
            throw new StorageConstraintException(table, ConstraintMessage(table, error), ex);
        }
    }

    /// <summary>Runs a statement that returns rows, after anything held (in the same round trip); the reader is on its rows.</summary>
    internal DbDataReader Reader(DbCommand command, string table = "")
    {
        if (_held.Count == 0)
        {
            if (table.Length == 0)
            {
                return command.ExecuteReader();
            }

            try
            {
                return command.ExecuteReader();
            }
            catch (DbException ex) when (_dialect.Classify(ex) is { Kind: StorageErrorKind.UniqueViolation } error)
            {
                throw new StorageConstraintException(table, ConstraintMessage(table, error), ex);
            }
        }

        Hold(command.CommandText, command.Parameters, table, returnsRows: true, null);
        return Send(keepLast: true)!;
    }

    /// <summary>Copies a statement (text and bound values) into the batch being built; returns the copy.</summary>
    private DbBatchCommand Hold(string sql, DbParameterCollection? parameters, string table, bool returnsRows, object? record, Action<DbDataReader>? consume = null)
    {
        _batch ??= session.CreateBatch();
        var held = session.BatchCommand(_batch, sql);
        var target = held.Parameters;
        var count = parameters?.Count ?? 0;
        if (target.Count != count)
        {
            target.Clear();
            for (var i = 0; i < count; i++)
            {
                target.Add(held.CreateParameter());
            }
        }

        for (var i = 0; i < count; i++)
        {
            var source = parameters![i];
            var copy = target[i];
            if (!string.Equals(copy.ParameterName, source.ParameterName, StringComparison.Ordinal))
            {
                copy.ParameterName = source.ParameterName;
            }

            copy.Value = source.Value;
        }

        _batch.BatchCommands.Add(held);
        _held.Add(new Held(table, returnsRows, record, consume));
        return held;
    }

    /// <summary>
    /// Sends the held statements in one batch, giving each held read its rows; returns the reader on the last
    /// statement's rows when <paramref name="keepLast"/> (the last statement returns rows), else null once every
    /// statement ran. A unique-key violation names the held statement whose table the database names.
    /// </summary>
    private DbDataReader? Send(bool keepLast)
    {
        var batch = _batch!;
        _batch = null;
        DisposeSent();
        _sent = batch;
        batch.Transaction = transaction;
        DbDataReader? reader = null;
        try
        {
            reader = batch.ExecuteReader();
            var last = _held.Count - 1;
            var first = true;
            for (var i = 0; i <= last; i++)
            {
                var held = _held[i];
                if (!held.ReturnsRows)
                {
                    continue;
                }

                // The reader starts on the first statement that returns rows; statements without rows have none.
                if (!first)
                {
                    reader.NextResult();
                }

                first = false;
                if (i == last && keepLast)
                {
                    return reader;
                }

                held.Consume?.Invoke(reader);
            }

            // Runs (and surfaces the errors of) the statements after the last one with rows.
            while (reader.NextResult())
            {
            }

            reader.Dispose();
            return null;
        }
        catch (DbException ex) when (_dialect.Classify(ex) is { Kind: StorageErrorKind.UniqueViolation } error)
        {
            reader?.Dispose();
            var at = _held.FindLastIndex(h => string.Equals(h.Table, error.Table, StringComparison.OrdinalIgnoreCase));
            at = at >= 0 ? at : _held.FindLastIndex(h => h.Table.Length > 0);
            var table = at >= 0 ? _held[at].Table : "unknown";
            throw new StorageConstraintException(table, ConstraintMessage(table, error), ex) { Record = at >= 0 ? _held[at].Record : null };
        }
        catch
        {
            reader?.Dispose();
            throw;
        }
        finally
        {
            _held.Clear();
        }
    }

    /// <summary>Sends what is held, so that the reads started with it complete.</summary>
    private ValueTask SendHeldAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_held.Count > 0)
        {
            Send(keepLast: false);
        }

        return ValueTask.CompletedTask;
    }

    private void DisposeSent()
    {
        _sent?.Dispose();
        _sent = null;
    }

    /// <summary>
    /// A held statement: the MLMD table it writes (empty for none) and the record it writes, which a refusal reports;
    /// whether it returns rows, and what reads them (null: they are skipped).
    /// </summary>
    private readonly record struct Held(string Table, bool ReturnsRows, object? Record, Action<DbDataReader>? Consume);

    private string ConstraintMessage(string table, StorageError error) =>
        $"A row of {table} with the same key already exists{(database is null ? string.Empty : " in " + database)} ({error.Message}).";

    private long[] ToArray(IReadOnlyCollection<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var result = new long[ids.Count];
        var i = 0;
        foreach (var id in ids)
        {
            result[i++] = id;
        }

        if (result.Length > _maxInList)
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

    private string[] ToArray(IReadOnlyCollection<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count > _maxInList)
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

    private void SortById(List<TypeRecord> types, int requested)
    {
        if (requested > _maxInList)
        {
            types.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        }
    }

    private void SortById(List<NodeRecord> nodes, int requested)
    {
        if (requested > _maxInList)
        {
            nodes.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        }
    }

    private void SortById(List<EventRecord> events, int requested)
    {
        if (requested > _maxInList)
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
