using MetadataStore.Storage;

namespace MetadataStore.Semantics;

internal sealed partial class MetadataStoreEngine
{
    public Task<long> PutArtifactTypeAsync(ArtifactType type, PutTypeOptions? options = null, CancellationToken cancellationToken = default) =>
        PutTypeAsync(type, options, cancellationToken);

    public Task<long> PutExecutionTypeAsync(ExecutionType type, PutTypeOptions? options = null, CancellationToken cancellationToken = default) =>
        PutTypeAsync(type, options, cancellationToken);

    public Task<long> PutContextTypeAsync(ContextType type, PutTypeOptions? options = null, CancellationToken cancellationToken = default) =>
        PutTypeAsync(type, options, cancellationToken);

    public Task<PutTypesResult> PutTypesAsync(IReadOnlyList<ArtifactType> artifactTypes, IReadOnlyList<ExecutionType> executionTypes, IReadOnlyList<ContextType> contextTypes, PutTypeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifactTypes);
        ArgumentNullException.ThrowIfNull(executionTypes);
        ArgumentNullException.ThrowIfNull(contextTypes);
        options ??= PutTypeOptions.Default;
        return Guarded(nameof(PutTypesAsync), () =>
        {
            RequireNoNullItems(artifactTypes, nameof(artifactTypes));
            RequireNoNullItems(executionTypes, nameof(executionTypes));
            RequireNoNullItems(contextTypes, nameof(contextTypes));
            return PutTypesCoreAsync(artifactTypes, executionTypes, contextTypes, options, cancellationToken);
        });
    }

    private Task<PutTypesResult> PutTypesCoreAsync(IReadOnlyList<ArtifactType> artifactTypes, IReadOnlyList<ExecutionType> executionTypes, IReadOnlyList<ContextType> contextTypes, PutTypeOptions options, CancellationToken cancellationToken)
    {
        return ForgetTypesAfterAsync(WriteAsync(nameof(PutTypesAsync), async (tx, ct) =>
        {
            // A type equal to one already put by this call is stored as that one left it: the same id, no change
            // (types compare by content), so a repeated type costs no statement.
            var done = new Dictionary<MetadataType, long>();
            async ValueTask<long> PutAsync(MetadataType type)
            {
                if (type.Properties is null)
                {
                    // Refused there; such a type has no content to compare.
                    return await PutTypeCoreAsync(tx, type, options, ct).ConfigureAwait(false);
                }

                if (!done.TryGetValue(type, out var id))
                {
                    id = await PutTypeCoreAsync(tx, type, options, ct).ConfigureAwait(false);
                    done[type] = id;
                }

                return id;
            }

            var a = new long[artifactTypes.Count];
            for (var i = 0; i < a.Length; i++)
            {
                a[i] = await PutAsync(artifactTypes[i]).ConfigureAwait(false);
            }

            var e = new long[executionTypes.Count];
            for (var i = 0; i < e.Length; i++)
            {
                e[i] = await PutAsync(executionTypes[i]).ConfigureAwait(false);
            }

            var c = new long[contextTypes.Count];
            for (var i = 0; i < c.Length; i++)
            {
                c[i] = await PutAsync(contextTypes[i]).ConfigureAwait(false);
            }

            return new PutTypesResult(a, e, c);
        }, cancellationToken), static r => [.. r.ArtifactTypeIds, .. r.ExecutionTypeIds, .. r.ContextTypeIds]);
    }

    public Task<ArtifactType> GetArtifactTypeAsync(string name, string? version = null, CancellationToken cancellationToken = default) =>
        GetTypeAsync<ArtifactType>(TypeKind.Artifact, name, version, cancellationToken);

    public Task<ExecutionType> GetExecutionTypeAsync(string name, string? version = null, CancellationToken cancellationToken = default) =>
        GetTypeAsync<ExecutionType>(TypeKind.Execution, name, version, cancellationToken);

    public Task<ContextType> GetContextTypeAsync(string name, string? version = null, CancellationToken cancellationToken = default) =>
        GetTypeAsync<ContextType>(TypeKind.Context, name, version, cancellationToken);

    public Task<IReadOnlyList<ArtifactType>> GetArtifactTypesAsync(CancellationToken cancellationToken = default) =>
        GetTypesAsync<ArtifactType>(TypeKind.Artifact, new TypeQuery.All(), cancellationToken);

    public Task<IReadOnlyList<ExecutionType>> GetExecutionTypesAsync(CancellationToken cancellationToken = default) =>
        GetTypesAsync<ExecutionType>(TypeKind.Execution, new TypeQuery.All(), cancellationToken);

    public Task<IReadOnlyList<ContextType>> GetContextTypesAsync(CancellationToken cancellationToken = default) =>
        GetTypesAsync<ContextType>(TypeKind.Context, new TypeQuery.All(), cancellationToken);

    public Task<IReadOnlyList<ArtifactType>> GetArtifactTypesByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        GetTypesByIdAsync<ArtifactType>(TypeKind.Artifact, ids, cancellationToken);

    public Task<IReadOnlyList<ExecutionType>> GetExecutionTypesByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        GetTypesByIdAsync<ExecutionType>(TypeKind.Execution, ids, cancellationToken);

    public Task<IReadOnlyList<ContextType>> GetContextTypesByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        GetTypesByIdAsync<ContextType>(TypeKind.Context, ids, cancellationToken);

    public Task<IReadOnlyList<ArtifactType>> GetArtifactTypesByExternalIdAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default) =>
        GetTypesByExternalIdAsync<ArtifactType>(TypeKind.Artifact, externalIds, cancellationToken);

    public Task<IReadOnlyList<ExecutionType>> GetExecutionTypesByExternalIdAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default) =>
        GetTypesByExternalIdAsync<ExecutionType>(TypeKind.Execution, externalIds, cancellationToken);

    public Task<IReadOnlyList<ContextType>> GetContextTypesByExternalIdAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default) =>
        GetTypesByExternalIdAsync<ContextType>(TypeKind.Context, externalIds, cancellationToken);

    private Task<long> PutTypeAsync(MetadataType type, PutTypeOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        options ??= PutTypeOptions.Default;
        return ForgetTypesAfterAsync(WriteAsync("Put" + type.GetType().Name, (tx, ct) => PutTypeCoreAsync(tx, type, options, ct), cancellationToken), static id => [id]);
    }

    /// <summary>Once a type put has committed, drops the types it may have changed from the cache.</summary>
    private async Task<T> ForgetTypesAfterAsync<T>(Task<T> put, Func<T, IEnumerable<long>> ids)
    {
        var result = await put.ConfigureAwait(false);
        foreach (var id in ids(result))
        {
            _types.Remove(id);
        }

        return result;
    }

    private Task<T> GetTypeAsync<T>(TypeKind kind, string name, string? version, CancellationToken cancellationToken)
        where T : MetadataType
    {
        ArgumentNullException.ThrowIfNull(name);
        return ReadAsync("Get" + typeof(T).Name, async (tx, ct) =>
        {
            TextChecks.Lookup([name, version], "A type name or version to look up");
            var found = await tx.GetTypesAsync(kind, new TypeQuery.ByName(name, NormalizeVersion(version)), ct).ConfigureAwait(false);
            if (found.Count == 0)
            {
                var versionText = NormalizeVersion(version) is { } v ? $" version '{v}'" : string.Empty;
                throw Errors.NotFound($"No {Mapping.KindName(kind)} named '{name}'{versionText} exists.");
            }

            return (T)Mapping.ToModel(found[0]);
        }, cancellationToken);
    }

    private Task<IReadOnlyList<T>> GetTypesByIdAsync<T>(TypeKind kind, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
        where T : MetadataType
    {
        ArgumentNullException.ThrowIfNull(ids);
        return ids.Count == 0 ? Task.FromResult<IReadOnlyList<T>>([]) : GetTypesAsync<T>(kind, new TypeQuery.ByIds(ids), cancellationToken);
    }

    private Task<IReadOnlyList<T>> GetTypesByExternalIdAsync<T>(TypeKind kind, IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken)
        where T : MetadataType
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        return Guarded("Get" + typeof(T).Name + "sByExternalId", () =>
        {
            RequireExternalIds(externalIds);
            return externalIds.Count == 0 ? Task.FromResult<IReadOnlyList<T>>([]) : GetTypesAsync<T>(kind, new TypeQuery.ByExternalIds(externalIds), cancellationToken);
        });
    }

    private Task<IReadOnlyList<T>> GetTypesAsync<T>(TypeKind kind, TypeQuery query, CancellationToken cancellationToken)
        where T : MetadataType =>
        ReadAsync<IReadOnlyList<T>>("Get" + typeof(T).Name + "s", async (tx, ct) =>
        {
            var records = await tx.GetTypesAsync(kind, query, ct).ConfigureAwait(false);
            var result = new List<T>(records.Count);
            foreach (var record in records)
            {
                // MLMD hides its system types from listings; they are still found by name or id.
                if (query is TypeQuery.All && Mapping.IsSystemType(record))
                {
                    continue;
                }

                result.Add((T)Mapping.ToModel(record));
            }

            return result;
        }, cancellationToken);

    private static string? NormalizeVersion(string? version) => string.IsNullOrEmpty(version) ? null : version;

    /// <summary>MLMD's type upsert: insert a new (kind, name, version), or check the stored one and evolve it additively.</summary>
    private static async ValueTask<long> PutTypeCoreAsync(IStorageTransaction tx, MetadataType type, PutTypeOptions options, CancellationToken ct)
    {
        var kind = type.Kind;
        var kindName = Mapping.KindName(kind);
        if (string.IsNullOrWhiteSpace(type.Name))
        {
            throw Errors.InvalidArgument($"An {kindName} needs a name that is not empty or only white space.");
        }

        if (type.Properties is null)
        {
            throw Errors.InvalidArgument($"The {kindName} '{type.Name}' has null Properties.");
        }

        TextChecks.Type(type);
        if (type is ExecutionType executionType)
        {
            ArtifactStructTypeJson.Check(executionType.InputType, "InputType");
            ArtifactStructTypeJson.Check(executionType.OutputType, "OutputType");
        }

        foreach (var (propertyName, propertyKind) in type.Properties)
        {
            if (string.IsNullOrEmpty(propertyName))
            {
                throw Errors.InvalidArgument($"The {kindName} '{type.Name}' declares a property with an empty name.");
            }

            if (propertyKind == PropertyKind.Unknown || !Enum.IsDefined(propertyKind))
            {
                throw Errors.InvalidArgument($"Property '{propertyName}' of {kindName} '{type.Name}' has no valid kind ({propertyKind}).");
            }
        }

        var version = NormalizeVersion(type.Version);
        var (baseName, removesBase) = RequestedBase(type);
        var existing = await tx.GetTypesAsync(kind, new TypeQuery.ByName(type.Name, version), ct).ConfigureAwait(false);
        if (existing.Count == 0)
        {
            var record = new TypeRecord
            {
                Kind = kind,
                Name = type.Name,
                Version = version,
                Description = type.Description,
                ExternalId = string.IsNullOrEmpty(type.ExternalId) ? null : type.ExternalId,
                InputType = (type as ExecutionType)?.InputType,
                OutputType = (type as ExecutionType)?.OutputType,
                Properties = new Dictionary<string, PropertyKind>(type.Properties, StringComparer.Ordinal),
                BaseTypeName = baseName,
            };
            try
            {
                return await tx.InsertTypeAsync(record, ct).ConfigureAwait(false);
            }
            catch (StorageConstraintException ex) when (ex.Table == "Type")
            {
                throw new MetadataStoreException(MetadataErrorCode.AlreadyExists, $"Cannot store {kindName} '{type.Name}': a type with external id '{record.ExternalId}' already exists. ({ex.Message})", ex);
            }
        }

        var stored = existing[0];
        var added = new List<KeyValuePair<string, PropertyKind>>();
        foreach (var (propertyName, propertyKind) in type.Properties)
        {
            if (stored.Properties.TryGetValue(propertyName, out var storedKind))
            {
                if (storedKind != propertyKind)
                {
                    throw Errors.AlreadyExists($"Property '{propertyName}' of {kindName} '{type.Name}' is stored as {storedKind}; it cannot be changed to {propertyKind}.");
                }
            }
            else if (!options.CanAddFields)
            {
                throw Errors.AlreadyExists($"The {kindName} '{type.Name}' is stored without property '{propertyName}'; set CanAddFields to add it.");
            }
            else
            {
                added.Add(new(propertyName, propertyKind));
            }
        }

        if (!options.CanOmitFields)
        {
            foreach (var storedName in stored.Properties.Keys)
            {
                if (!type.Properties.ContainsKey(storedName))
                {
                    throw Errors.AlreadyExists($"The {kindName} '{type.Name}' is stored with property '{storedName}', which the request leaves out; set CanOmitFields to allow that.");
                }
            }
        }

        var addBase = false;
        if (removesBase)
        {
            if (stored.BaseTypeName is not null)
            {
                throw Errors.Unimplemented($"The base type of {kindName} '{type.Name}' cannot be removed (base_type deletion is not supported).");
            }
        }
        else if (baseName is not null && baseName != stored.BaseTypeName)
        {
            if (stored.BaseTypeName is not null)
            {
                throw Errors.Unimplemented($"The base type of {kindName} '{type.Name}' is {stored.BaseTypeName}; it cannot be changed to {baseName} (base_type update is not supported).");
            }

            addBase = true;
        }

        var externalId = string.IsNullOrEmpty(type.ExternalId) ? null : type.ExternalId;
        var externalIdChanged = externalId is not null && externalId != stored.ExternalId;
        if (added.Count > 0 || addBase || externalIdChanged)
        {
            var properties = new Dictionary<string, PropertyKind>(stored.Properties, StringComparer.Ordinal);
            foreach (var (name, propertyKind) in added)
            {
                properties[name] = propertyKind;
            }

            stored = stored with
            {
                Properties = properties,
                ExternalId = externalIdChanged ? externalId : stored.ExternalId,
                BaseTypeName = addBase ? baseName : stored.BaseTypeName,
            };

            try
            {
                await tx.UpdateTypeAsync(stored, added, addBase, ct).ConfigureAwait(false);
            }
            catch (StorageConstraintException ex) when (ex.Table == "Type")
            {
                throw new MetadataStoreException(MetadataErrorCode.AlreadyExists, $"Cannot give {kindName} '{type.Name}' external id '{externalId}': another type has it. ({ex.Message})", ex);
            }
        }

        return stored.Id;
    }

    private static (string? BaseName, bool RemovesBase) RequestedBase(MetadataType type)
    {
        switch (type)
        {
            case ArtifactType { BaseType: { } b }:
                if (!Enum.IsDefined(b))
                {
                    throw Errors.InvalidArgument($"Artifact type '{type.Name}' has an unknown base type ({b}).");
                }

                return (Mapping.ArtifactBaseName(b), b == ArtifactBaseType.Unset);
            case ExecutionType { BaseType: { } b }:
                if (!Enum.IsDefined(b))
                {
                    throw Errors.InvalidArgument($"Execution type '{type.Name}' has an unknown base type ({b}).");
                }

                return (Mapping.ExecutionBaseName(b), b == ExecutionBaseType.Unset);
            default:
                return (null, false);
        }
    }
}
