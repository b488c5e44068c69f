using MetadataStore.Storage;

namespace MetadataStore.Semantics;

/// <summary>
/// Inserts and updates nodes inside one transaction with MLMD's rules: type resolution, property checks,
/// field masks, the optimistic check, and a last update time that moves only on a real change.
/// </summary>
internal sealed class NodeWriter
{
    private readonly IStorageTransaction _tx;
    private readonly long _now;
    private readonly TypeCache? _cache;
    private readonly Dictionary<long, TypeRecord?> _typesById = [];
    private readonly Dictionary<(TypeKind, string), TypeRecord?> _typesByName = [];

    // Types read from storage in this transaction: current, and offered to the cache once the transaction commits.
    private readonly Dictionary<long, TypeRecord> _read = [];

    public NodeWriter(IStorageTransaction tx, long now, TypeCache? cache = null)
    {
        _tx = tx;
        _now = now;
        _cache = cache;
    }

    public IStorageTransaction Transaction => _tx;

    public long Now => _now;

    /// <summary>Finds the type a new or updated node names by id or (unversioned) name.</summary>
    public async ValueTask<TypeRecord> ResolveTypeAsync(NodeKind kind, MetadataNode node, CancellationToken ct)
    {
        var typeKind = Mapping.TypeKindOf(kind);
        if (node.TypeId is { } typeId)
        {
            var byId = await GetTypeByIdAsync(typeKind, typeId, ct).ConfigureAwait(false);
            return byId ?? throw Errors.NotFound($"{Mapping.KindName(kind)} type id {typeId} does not name a stored {Mapping.KindName(typeKind)}.");
        }

        if (!string.IsNullOrEmpty(node.TypeName))
        {
            var byName = await GetTypeByNameAsync(typeKind, node.TypeName, ct).ConfigureAwait(false);
            return byName ?? throw Errors.NotFound($"No {Mapping.KindName(typeKind)} named '{node.TypeName}' exists.");
        }

        throw Errors.InvalidArgument($"A new {Mapping.KindName(kind).ToLowerInvariant()} needs a TypeId (or a TypeName).");
    }

    public async ValueTask<TypeRecord?> GetTypeByIdAsync(TypeKind kind, long id, CancellationToken ct)
    {
        if (!_typesById.TryGetValue(id, out var type))
        {
            type = _cache?.Find(kind, id) ?? await ReadTypeAsync(kind, id, ct).ConfigureAwait(false);
            _typesById[id] = type;
        }

        return type is not null && type.Kind == kind ? type : null;
    }

    public async ValueTask<TypeRecord?> GetTypeByNameAsync(TypeKind kind, string name, CancellationToken ct)
    {
        if (!_typesByName.TryGetValue((kind, name), out var type))
        {
            type = _cache?.Find(kind, name);
            if (type is null)
            {
                var found = await _tx.GetTypesAsync(kind, new TypeQuery.ByName(name, null), ct).ConfigureAwait(false);
                type = found.Count > 0 ? found[0] : null;
                if (type is not null)
                {
                    _read[type.Id] = type;
                }
            }

            _typesByName[(kind, name)] = type;
            if (type is not null)
            {
                _typesById[type.Id] = type;
            }
        }

        return type;
    }

    /// <summary>Offers the types this writer read to the store's cache; call only after the transaction committed.</summary>
    public void PublishTypes()
    {
        if (_cache is not null && _read.Count > 0)
        {
            _cache.Add(_read.Values);
        }
    }

    private async ValueTask<TypeRecord?> ReadTypeAsync(TypeKind kind, long id, CancellationToken ct)
    {
        var found = await _tx.GetTypesAsync(kind, new TypeQuery.ByIds([id]), ct).ConfigureAwait(false);
        if (found.Count == 0 || found[0].Kind != kind)
        {
            return null;
        }

        _read[id] = found[0];
        return found[0];
    }

    /// <summary>
    /// MLMD's property checks against <paramref name="type"/>. A cached type may lack properties added since it was
    /// read, so before a property is rejected as undeclared or of another kind the type is read again in this transaction.
    /// </summary>
    private async ValueTask CheckPropertiesAsync(NodeKind kind, TypeRecord type, IReadOnlyDictionary<string, PropertyValue> properties, IReadOnlyCollection<string>? keys, CancellationToken ct)
    {
        var (error, dependsOnType) = FindPropertyError(kind, type, properties, keys);
        if (error is null)
        {
            return;
        }

        if (dependsOnType && !_read.ContainsKey(type.Id))
        {
            var current = await ReadTypeAsync(type.Kind, type.Id, ct).ConfigureAwait(false)
                ?? throw new MetadataStoreException(MetadataErrorCode.DataLoss, $"{Mapping.KindName(type.Kind)} {type.Id} ('{type.Name}') disappeared from the database.");
            _typesById[current.Id] = current;
            if (current.Version is null)
            {
                _typesByName[(current.Kind, current.Name)] = current;
            }

            (error, _) = FindPropertyError(kind, current, properties, keys);
            if (error is null)
            {
                return;
            }
        }

        throw error;
    }

    /// <summary>Inserts or updates each node; returns ids in order.</summary>
    public async ValueTask<long[]> PutAsync(NodeKind kind, IReadOnlyList<MetadataNode> nodes, PutNodesOptions options, bool forceUpdateTime, CancellationToken ct)
    {
        var ids = new long[nodes.Count];
        Dictionary<long, NodeRecord>? stored = null;
        Dictionary<long, List<PropertyRecord>>? storedProperties = null;
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i] is null)
            {
                throw Errors.InvalidArgument($"{Mapping.KindName(kind)} {i} of the request is null.");
            }

            TextChecks.Node(kind, nodes[i]);

            if (nodes[i].Id is not null && stored is null)
            {
                (stored, storedProperties) = await LoadForUpdateAsync(kind, nodes, ct).ConfigureAwait(false);
            }
        }

        if (stored is null && nodes.Count > 1)
        {
            return await InsertAllAsync(kind, nodes, ct).ConfigureAwait(false);
        }

        for (var i = 0; i < nodes.Count; i++)
        {
            // Once per node, so a cancelled or disposed call stops a large batch promptly and rolls it back.
            ct.ThrowIfCancellationRequested();
            var node = nodes[i];
            ids[i] = node.Id is { } id
                ? await UpdateAsync(kind, node, stored![id], storedProperties!, options, forceUpdateTime, ct).ConfigureAwait(false)
                : await InsertAsync(kind, node, ct).ConfigureAwait(false);
        }

        return ids;
    }

    private async ValueTask<(Dictionary<long, NodeRecord>, Dictionary<long, List<PropertyRecord>>)> LoadForUpdateAsync(NodeKind kind, IReadOnlyList<MetadataNode> nodes, CancellationToken ct)
    {
        var ids = new HashSet<long>();
        foreach (var node in nodes)
        {
            if (node.Id is { } id)
            {
                ids.Add(id);
            }
        }

        var records = await _tx.GetNodesAsync(kind, new NodeQuery.ByIds(ids), ct).ConfigureAwait(false);
        var byId = new Dictionary<long, NodeRecord>(records.Count);
        foreach (var r in records)
        {
            byId[r.Id] = r;
        }

        foreach (var id in ids)
        {
            if (!byId.ContainsKey(id))
            {
                throw Errors.InvalidArgument($"{Mapping.KindName(kind)} {id} does not exist, so it cannot be updated.");
            }
        }

        var properties = await _tx.GetPropertiesAsync(kind, ids, ct).ConfigureAwait(false);
        var propertiesById = new Dictionary<long, List<PropertyRecord>>();
        foreach (var p in properties)
        {
            if (!propertiesById.TryGetValue(p.NodeId, out var list))
            {
                propertiesById[p.NodeId] = list = [];
            }

            list.Add(p);
        }

        return (byId, propertiesById);
    }

    /// <summary>
    /// Inserts new nodes (none with an id) as one batch: each checked as <see cref="InsertAsync"/> does, then the rows
    /// and the property rows written set-based (a few statements on a database a round trip away).
    /// </summary>
    private async ValueTask<long[]> InsertAllAsync(NodeKind kind, IReadOnlyList<MetadataNode> nodes, CancellationToken ct)
    {
        var types = new TypeRecord[nodes.Count];
        var records = new NodeRecord[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            (types[i], records[i]) = await PrepareInsertAsync(kind, nodes[i], ct).ConfigureAwait(false);
        }

        IReadOnlyList<long> ids;
        try
        {
            ids = await _tx.InsertNodesAsync(kind, records, ct).ConfigureAwait(false);
        }
        catch (StorageConstraintException ex)
        {
            var row = ex.Row ?? 0;
            throw Conflict(kind, types[row], records[row], ex);
        }

        var properties = new List<PropertyRecord>();
        for (var i = 0; i < nodes.Count; i++)
        {
            AddProperties(properties, ids[i], nodes[i]);
        }

        await _tx.InsertPropertiesAsync(kind, properties, ct).ConfigureAwait(false);
        return [.. ids];
    }

    private static void AddProperties(List<PropertyRecord> properties, long id, MetadataNode node)
    {
        foreach (var (name, value) in node.Properties)
        {
            properties.Add(new PropertyRecord(id, name, false, PropertyCodec.ToStored(value)));
        }

        foreach (var (name, value) in node.CustomProperties)
        {
            properties.Add(new PropertyRecord(id, name, true, PropertyCodec.ToStored(value)));
        }
    }

    private async ValueTask<long> InsertAsync(NodeKind kind, MetadataNode node, CancellationToken ct)
    {
        var (type, record) = await PrepareInsertAsync(kind, node, ct).ConfigureAwait(false);
        long id;
        try
        {
            id = await _tx.InsertNodeAsync(kind, record, ct).ConfigureAwait(false);
        }
        catch (StorageConstraintException ex)
        {
            throw Conflict(kind, type, record, ex);
        }

        var properties = new List<PropertyRecord>(node.Properties.Count + node.CustomProperties.Count);
        AddProperties(properties, id, node);
        await _tx.InsertPropertiesAsync(kind, properties, ct).ConfigureAwait(false);
        return id;
    }

    /// <summary>Resolves the type of a new node, checks it against the type and makes its row.</summary>
    private async ValueTask<(TypeRecord Type, NodeRecord Record)> PrepareInsertAsync(NodeKind kind, MetadataNode node, CancellationToken ct)
    {
        var type = await ResolveTypeAsync(kind, node, ct).ConfigureAwait(false);
        if (kind == NodeKind.Context && string.IsNullOrEmpty(node.Name))
        {
            throw Errors.InvalidArgument($"A context of type '{type.Name}' needs a non-empty name.");
        }

        await CheckPropertiesAsync(kind, type, node.Properties, keys: null, ct).ConfigureAwait(false);
        CheckCustomProperties(kind, node.CustomProperties);
        var record = new NodeRecord
        {
            TypeId = type.Id,
            Name = string.IsNullOrEmpty(node.Name) ? null : node.Name,
            ExternalId = string.IsNullOrEmpty(node.ExternalId) ? null : node.ExternalId,
            Uri = node is Artifact a ? a.Uri ?? string.Empty : null,
            State = StateOf(node),
            CreateTime = _now,
            LastUpdateTime = _now,
        };
        return (type, record);
    }

    private async ValueTask<long> UpdateAsync(NodeKind kind, MetadataNode node, NodeRecord stored, Dictionary<long, List<PropertyRecord>> storedProperties, PutNodesOptions options, bool forceUpdateTime, CancellationToken ct)
    {
        var label = $"{Mapping.KindName(kind)} {stored.Id}";
        if (node.TypeId is { } typeId && typeId != stored.TypeId)
        {
            throw Errors.InvalidArgument($"{label} is of type {stored.TypeId}; its type cannot be changed to {typeId}.");
        }

        if (node.TypeId is null && !string.IsNullOrEmpty(node.TypeName) && node.TypeName != stored.TypeName)
        {
            throw Errors.InvalidArgument($"{label} is of type '{stored.TypeName}'; its type cannot be changed to '{node.TypeName}'.");
        }

        if (options.AbortIfLastUpdateTimeChanged)
        {
            var given = node.LastUpdateTime is { } t ? Mapping.ToMillis(t) : (long?)null;
            if (given != stored.LastUpdateTime)
            {
                throw Errors.FailedPrecondition($"{label} was changed since it was read: its last update time is {stored.LastUpdateTime}, the request has {given?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.");
            }
        }

        var type = await GetTypeByIdAsync(Mapping.TypeKindOf(kind), stored.TypeId, ct).ConfigureAwait(false)
            ?? throw new MetadataStoreException(MetadataErrorCode.DataLoss, $"{label} names type {stored.TypeId}, which does not exist.");

        var updated = stored with { };

        var current = storedProperties.TryGetValue(stored.Id, out var list) ? list : [];
        var storedTyped = new Dictionary<string, PropertyValue>(StringComparer.Ordinal);
        var storedCustom = new Dictionary<string, PropertyValue>(StringComparer.Ordinal);
        foreach (var p in current)
        {
            (p.IsCustom ? storedCustom : storedTyped)[p.Name] = PropertyCodec.FromStored(p.Value, p.Name, kind, stored.Id);
        }

        // Target property maps, starting from what is stored.
        var typed = new Dictionary<string, PropertyValue>(storedTyped, StringComparer.Ordinal);
        var custom = new Dictionary<string, PropertyValue>(storedCustom, StringComparer.Ordinal);
        var mask = options.FieldMask;
        if (mask is null || mask.Count == 0)
        {
            updated = updated with { ExternalId = string.IsNullOrEmpty(node.ExternalId) ? null : node.ExternalId };
            if (node is Artifact artifact)
            {
                updated = updated with { Uri = artifact.Uri ?? string.Empty };
            }

            updated = ApplyState(kind, node, updated);
            if (kind == NodeKind.Context)
            {
                updated = updated with { Name = RequireContextName(node, type) };
            }

            await CheckPropertiesAsync(kind, type, node.Properties, keys: null, ct).ConfigureAwait(false);
            CheckCustomProperties(kind, node.CustomProperties);
            typed = new Dictionary<string, PropertyValue>(node.Properties, StringComparer.Ordinal);
            custom = new Dictionary<string, PropertyValue>(node.CustomProperties, StringComparer.Ordinal);
        }
        else
        {
            var wholeTyped = mask.Contains("properties");
            var wholeCustom = mask.Contains("custom_properties");
            foreach (var path in mask)
            {
                switch (path)
                {
                    case "external_id":
                        updated = updated with { ExternalId = string.IsNullOrEmpty(node.ExternalId) ? null : node.ExternalId };
                        break;
                    case "uri" when kind == NodeKind.Artifact:
                        updated = updated with { Uri = ((Artifact)node).Uri ?? string.Empty };
                        break;
                    case "state" when kind == NodeKind.Artifact:
                    case "last_known_state" when kind == NodeKind.Execution:
                        updated = updated with { State = StateOf(node) };
                        break;
                    case "name" when kind == NodeKind.Context:
                        updated = updated with { Name = RequireContextName(node, type) };
                        break;
                    case "properties":
                        await CheckPropertiesAsync(kind, type, node.Properties, keys: null, ct).ConfigureAwait(false);
                        typed = new Dictionary<string, PropertyValue>(node.Properties, StringComparer.Ordinal);
                        break;
                    case "custom_properties":
                        CheckCustomProperties(kind, node.CustomProperties);
                        custom = new Dictionary<string, PropertyValue>(node.CustomProperties, StringComparer.Ordinal);
                        break;
                    default:
                        if (!wholeTyped && path.StartsWith("properties.", StringComparison.Ordinal))
                        {
                            var key = path["properties.".Length..];
                            ApplyKey(typed, node.Properties, key);
                            if (node.Properties.ContainsKey(key))
                            {
                                await CheckPropertiesAsync(kind, type, node.Properties, [key], ct).ConfigureAwait(false);
                            }
                        }
                        else if (!wholeCustom && path.StartsWith("custom_properties.", StringComparison.Ordinal))
                        {
                            var key = path["custom_properties.".Length..];
                            ApplyKey(custom, node.CustomProperties, key);
                        }

                        // Unknown paths are ignored, as MLMD does.
                        break;
                }
            }
        }

        var attributesChanged = updated.Name != stored.Name || updated.ExternalId != stored.ExternalId || updated.Uri != stored.Uri || updated.State != stored.State;
        var changes = new List<(PropertyRecord Record, int Op)>();
        Diff(stored.Id, storedTyped, typed, isCustom: false, changes);
        Diff(stored.Id, storedCustom, custom, isCustom: true, changes);
        if (!attributesChanged && changes.Count == 0 && !forceUpdateTime)
        {
            return stored.Id;
        }

        // Strictly later than the stored time, so the optimistic check always sees a change.
        updated = updated with { LastUpdateTime = Math.Max(_now, stored.LastUpdateTime + 1) };
        try
        {
            await _tx.UpdateNodeAsync(kind, updated, ct).ConfigureAwait(false);
        }
        catch (StorageConstraintException ex)
        {
            throw Conflict(kind, type, updated, ex);
        }

        foreach (var (record, op) in changes)
        {
            switch (op)
            {
                case 0:
                    await _tx.InsertPropertyAsync(kind, record, ct).ConfigureAwait(false);
                    break;
                case 1:
                    await _tx.UpdatePropertyAsync(kind, record, ct).ConfigureAwait(false);
                    break;
                default:
                    await _tx.DeletePropertyAsync(kind, record.NodeId, record.Name, record.IsCustom, ct).ConfigureAwait(false);
                    break;
            }
        }

        return stored.Id;
    }

    private static void ApplyKey(Dictionary<string, PropertyValue> target, IReadOnlyDictionary<string, PropertyValue> source, string key)
    {
        if (source.TryGetValue(key, out var value))
        {
            target[key] = value;
        }
        else
        {
            target.Remove(key);
        }
    }

    private static void Diff(long nodeId, Dictionary<string, PropertyValue> before, Dictionary<string, PropertyValue> after, bool isCustom, List<(PropertyRecord, int)> changes)
    {
        foreach (var (name, value) in after)
        {
            if (!before.TryGetValue(name, out var old))
            {
                changes.Add((new PropertyRecord(nodeId, name, isCustom, PropertyCodec.ToStored(value)), 0));
            }
            else if (!old.Equals(value))
            {
                changes.Add((new PropertyRecord(nodeId, name, isCustom, PropertyCodec.ToStored(value)), 1));
            }
        }

        foreach (var (name, value) in before)
        {
            if (!after.ContainsKey(name))
            {
                changes.Add((new PropertyRecord(nodeId, name, isCustom, PropertyCodec.ToStored(value)), 2));
            }
        }
    }

    private static string RequireContextName(MetadataNode node, TypeRecord type) =>
        string.IsNullOrEmpty(node.Name) ? throw Errors.InvalidArgument($"A context of type '{type.Name}' needs a non-empty name.") : node.Name;

    private static NodeRecord ApplyState(NodeKind kind, MetadataNode node, NodeRecord record) =>
        kind == NodeKind.Context ? record : record with { State = StateOf(node) };

    private static int? StateOf(MetadataNode node)
    {
        switch (node)
        {
            case Artifact { State: { } s }:
                if (!Enum.IsDefined(s))
                {
                    throw Errors.InvalidArgument($"Artifact state {(int)s} is not a valid state.");
                }

                return (int)s;
            case Execution { LastKnownState: { } s }:
                if (!Enum.IsDefined(s))
                {
                    throw Errors.InvalidArgument($"Execution state {(int)s} is not a valid state.");
                }

                return (int)s;
            default:
                return null;
        }
    }

    /// <summary>The first problem with the properties, and whether it comes from the type (a newer type may not have it).</summary>
    private static (MetadataStoreException? Error, bool DependsOnType) FindPropertyError(NodeKind kind, TypeRecord type, IReadOnlyDictionary<string, PropertyValue> properties, IReadOnlyCollection<string>? keys)
    {
        if (properties is null)
        {
            return (Errors.InvalidArgument($"The properties of a {Mapping.KindName(kind).ToLowerInvariant()} must not be null."), false);
        }

        foreach (var (name, value) in properties)
        {
            if (keys is not null && !keys.Contains(name))
            {
                continue;
            }

            if (value is null)
            {
                return (Errors.InvalidArgument($"Property '{name}' has a null value."), false);
            }

            if (!type.Properties.TryGetValue(name, out var declared))
            {
                return (Errors.InvalidArgument($"Property '{name}' is not declared by {Mapping.KindName(type.Kind)} '{type.Name}'; declare it or use a custom property."), true);
            }

            if (declared != value.Kind)
            {
                return (Errors.InvalidArgument($"Property '{name}' of {Mapping.KindName(type.Kind)} '{type.Name}' is declared as {declared}, but the value is {value.Kind} (unmatched property type)."), true);
            }
        }

        return (null, false);
    }

    private static void CheckCustomProperties(NodeKind kind, IReadOnlyDictionary<string, PropertyValue> properties)
    {
        if (properties is null)
        {
            throw Errors.InvalidArgument($"The custom properties of a {Mapping.KindName(kind).ToLowerInvariant()} must not be null.");
        }

        foreach (var (name, value) in properties)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw Errors.InvalidArgument("A custom property needs a non-empty name.");
            }

            if (value is null)
            {
                throw Errors.InvalidArgument($"Custom property '{name}' has a null value.");
            }
        }
    }

    private static MetadataStoreException Conflict(NodeKind kind, TypeRecord type, NodeRecord record, MetadataStoreException inner)
    {
        var what = Mapping.KindName(kind).ToLowerInvariant();
        var name = record.Name is null ? string.Empty : $" named '{record.Name}'";
        var external = record.ExternalId is null ? string.Empty : $" or with external id '{record.ExternalId}'";
        return new MetadataStoreException(
            MetadataErrorCode.AlreadyExists,
            $"Another {what} of type '{type.Name}'{name}{external} already exists. ({inner.Message})",
            inner);
    }
}
