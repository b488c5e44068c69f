using MetadataStore.Query;
using MetadataStore.Storage;

namespace MetadataStore.Semantics;

internal sealed partial class MetadataStoreEngine
{
    public Task<IReadOnlyList<long>> PutArtifactsAsync(IReadOnlyList<Artifact> artifacts, PutNodesOptions? options = null, CancellationToken cancellationToken = default) =>
        PutNodesAsync(NodeKind.Artifact, artifacts, options, cancellationToken);

    public Task<IReadOnlyList<long>> PutExecutionsAsync(IReadOnlyList<Execution> executions, PutNodesOptions? options = null, CancellationToken cancellationToken = default) =>
        PutNodesAsync(NodeKind.Execution, executions, options, cancellationToken);

    public Task<IReadOnlyList<long>> PutContextsAsync(IReadOnlyList<Context> contexts, PutNodesOptions? options = null, CancellationToken cancellationToken = default) =>
        PutNodesAsync(NodeKind.Context, contexts, options, cancellationToken);

    public Task<IReadOnlyList<Artifact>> GetArtifactsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return GetNodesAsync<Artifact, long>(NodeKind.Artifact, ids, static ids => new NodeQuery.ByIds(ids), cancellationToken);
    }

    public Task<IReadOnlyList<Execution>> GetExecutionsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return GetNodesAsync<Execution, long>(NodeKind.Execution, ids, static ids => new NodeQuery.ByIds(ids), cancellationToken);
    }

    public Task<IReadOnlyList<Context>> GetContextsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return GetNodesAsync<Context, long>(NodeKind.Context, ids, static ids => new NodeQuery.ByIds(ids), cancellationToken);
    }

    public Task<IReadOnlyList<ArtifactWithType>> GetArtifactsWithTypesByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<ArtifactWithType>>([]);
        }

        return ReadAsync<IReadOnlyList<ArtifactWithType>>(nameof(GetArtifactsWithTypesByIdAsync), async (tx, ct) =>
        {
            var artifacts = await LoadNodesAsync<Artifact>(tx, NodeKind.Artifact, new NodeQuery.ByIds(ids), ct).ConfigureAwait(false);
            if (artifacts.Count == 0)
            {
                return [];
            }

            var typeIds = new HashSet<long>();
            foreach (var artifact in artifacts)
            {
                typeIds.Add(artifact.TypeId!.Value);
            }

            var types = new Dictionary<long, ArtifactType>(typeIds.Count);
            foreach (var record in await tx.GetTypesAsync(TypeKind.Artifact, new TypeQuery.ByIds(typeIds), ct).ConfigureAwait(false))
            {
                types[record.Id] = (ArtifactType)Mapping.ToModel(record);
            }

            var result = new ArtifactWithType[artifacts.Count];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = new ArtifactWithType(artifacts[i], types[artifacts[i].TypeId!.Value]);
            }

            return result;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<Artifact>> GetArtifactsByUriAsync(IReadOnlyCollection<string> uris, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uris);
        return Guarded(nameof(GetArtifactsByUriAsync), () =>
        {
            RequireNoNullItems(uris, nameof(uris));
            TextChecks.Lookup(uris, "A URI to look up");
            return GetNodesAsync<Artifact, string>(NodeKind.Artifact, uris, static uris => new NodeQuery.ByUris(uris), cancellationToken);
        });
    }

    public Task<IReadOnlyList<Artifact>> GetArtifactsByExternalIdAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default) =>
        GetByExternalIdAsync<Artifact>(NodeKind.Artifact, externalIds, cancellationToken);

    public Task<IReadOnlyList<Execution>> GetExecutionsByExternalIdAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default) =>
        GetByExternalIdAsync<Execution>(NodeKind.Execution, externalIds, cancellationToken);

    public Task<IReadOnlyList<Context>> GetContextsByExternalIdAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default) =>
        GetByExternalIdAsync<Context>(NodeKind.Context, externalIds, cancellationToken);

    private Task<IReadOnlyList<T>> GetByExternalIdAsync<T>(NodeKind kind, IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken)
        where T : MetadataNode
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        return Guarded("Get" + Mapping.KindName(kind) + "sByExternalId", () =>
        {
            RequireExternalIds(externalIds);
            return GetNodesAsync<T, string>(kind, externalIds, static ids => new NodeQuery.ByExternalIds(ids), cancellationToken);
        });
    }

    public Task<Artifact?> GetArtifactByTypeAndNameAsync(string typeName, string? typeVersion, string name, CancellationToken cancellationToken = default) =>
        GetByTypeAndNameAsync<Artifact>(NodeKind.Artifact, typeName, typeVersion, name, cancellationToken);

    public Task<Execution?> GetExecutionByTypeAndNameAsync(string typeName, string? typeVersion, string name, CancellationToken cancellationToken = default) =>
        GetByTypeAndNameAsync<Execution>(NodeKind.Execution, typeName, typeVersion, name, cancellationToken);

    public Task<Context?> GetContextByTypeAndNameAsync(string typeName, string? typeVersion, string name, CancellationToken cancellationToken = default) =>
        GetByTypeAndNameAsync<Context>(NodeKind.Context, typeName, typeVersion, name, cancellationToken);

    public Task<Artifact?> GetArtifactByTypeAndNameAsync(string typeName, string name, CancellationToken cancellationToken = default) =>
        GetByTypeAndNameAsync<Artifact>(NodeKind.Artifact, typeName, null, name, cancellationToken);

    public Task<Execution?> GetExecutionByTypeAndNameAsync(string typeName, string name, CancellationToken cancellationToken = default) =>
        GetByTypeAndNameAsync<Execution>(NodeKind.Execution, typeName, null, name, cancellationToken);

    public Task<Context?> GetContextByTypeAndNameAsync(string typeName, string name, CancellationToken cancellationToken = default) =>
        GetByTypeAndNameAsync<Context>(NodeKind.Context, typeName, null, name, cancellationToken);

    public Task<NodePage<Artifact>> ListArtifactsAsync(NodeListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListAsync<Artifact>(NodeKind.Artifact, ListScope.All, options, cancellationToken);

    public Task<NodePage<Execution>> ListExecutionsAsync(NodeListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListAsync<Execution>(NodeKind.Execution, ListScope.All, options, cancellationToken);

    public Task<NodePage<Context>> ListContextsAsync(NodeListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListAsync<Context>(NodeKind.Context, ListScope.All, options, cancellationToken);

    public Task<NodePage<Artifact>> ListArtifactsByTypeAsync(string typeName, string? typeVersion = null, NodeListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListAsync<Artifact>(NodeKind.Artifact, ListScope.OfType(typeName, typeVersion), options, cancellationToken);

    public Task<NodePage<Execution>> ListExecutionsByTypeAsync(string typeName, string? typeVersion = null, NodeListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListAsync<Execution>(NodeKind.Execution, ListScope.OfType(typeName, typeVersion), options, cancellationToken);

    public Task<NodePage<Context>> ListContextsByTypeAsync(string typeName, string? typeVersion = null, NodeListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListAsync<Context>(NodeKind.Context, ListScope.OfType(typeName, typeVersion), options, cancellationToken);

    public Task<NodePage<Artifact>> ListArtifactsByContextAsync(long contextId, NodeListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListAsync<Artifact>(NodeKind.Artifact, ListScope.InContext(contextId), options, cancellationToken);

    public Task<NodePage<Execution>> ListExecutionsByContextAsync(long contextId, NodeListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListAsync<Execution>(NodeKind.Execution, ListScope.InContext(contextId), options, cancellationToken);

    private Task<IReadOnlyList<long>> PutNodesAsync(NodeKind kind, IReadOnlyList<MetadataNode> nodes, PutNodesOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes, kind switch { NodeKind.Artifact => "artifacts", NodeKind.Execution => "executions", _ => "contexts" });
        options ??= PutNodesOptions.Default;
        if (nodes.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<long>>([]);
        }

        return WriteNodesAsync<IReadOnlyList<long>>(
            "Put" + Mapping.KindName(kind) + "s",
            async (writer, ct) => await writer.PutAsync(kind, nodes, options, forceUpdateTime: false, ct).ConfigureAwait(false),
            cancellationToken);
    }

    private Task<IReadOnlyList<T>> GetNodesAsync<T, TKey>(NodeKind kind, IReadOnlyCollection<TKey> keys, Func<IReadOnlyCollection<TKey>, NodeQuery> query, CancellationToken cancellationToken)
        where T : MetadataNode
    {
        if (keys.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<T>>([]);
        }

        return ReadAsync("Get" + Mapping.KindName(kind) + "s", (tx, ct) => LoadNodesAsync<T>(tx, kind, query(keys), ct), cancellationToken);
    }

    private Task<T?> GetByTypeAndNameAsync<T>(NodeKind kind, string typeName, string? typeVersion, string name, CancellationToken cancellationToken)
        where T : MetadataNode
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(name);
        return ReadAsync("Get" + Mapping.KindName(kind) + "ByTypeAndName", async (tx, ct) =>
        {
            TextChecks.Lookup([typeName, typeVersion, name], "A type name, type version or node name to look up");
            var types = await tx.GetTypesAsync(Mapping.TypeKindOf(kind), new TypeQuery.ByName(typeName, NormalizeVersion(typeVersion)), ct).ConfigureAwait(false);
            if (types.Count == 0)
            {
                return null;
            }

            var nodes = await LoadNodesAsync<T>(tx, kind, new NodeQuery.ByTypeAndName(types[0].Id, name), ct).ConfigureAwait(false);
            return nodes.Count == 0 ? null : nodes[0];
        }, cancellationToken);
    }

    internal static async ValueTask<IReadOnlyList<T>> LoadNodesAsync<T>(IStorageTransaction tx, NodeKind kind, NodeQuery query, CancellationToken ct)
        where T : MetadataNode
    {
        using var assembler = new NodeAssembler(kind);
        var records = await tx.GetNodesWithPropertiesAsync(kind, query, assembler, ct).ConfigureAwait(false);
        return assembler.Build<T>(records);
    }

    /// <summary>Reads the properties of node rows (one query) and builds the model objects, keeping the rows' order.</summary>
    internal static async ValueTask<IReadOnlyList<T>> HydrateAsync<T>(IStorageTransaction tx, NodeKind kind, IReadOnlyList<NodeRecord> records, CancellationToken ct)
        where T : MetadataNode
    {
        if (records.Count == 0)
        {
            return [];
        }

        var ids = new long[records.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = records[i].Id;
        }

        using var assembler = new NodeAssembler(kind);
        await tx.GetPropertiesAsync(kind, ids, assembler, ct).ConfigureAwait(false);
        return assembler.Build<T>(records);
    }

    private Task<NodePage<T>> ListAsync<T>(NodeKind kind, ListScope scope, NodeListOptions? options, CancellationToken cancellationToken)
        where T : MetadataNode =>
        Guarded("List" + Mapping.KindName(kind) + "s", () => StartListAsync<T>(kind, scope, options ?? NodeListOptions.Default, cancellationToken));

    private Task<NodePage<T>> StartListAsync<T>(NodeKind kind, ListScope scope, NodeListOptions options, CancellationToken cancellationToken)
        where T : MetadataNode
    {
        if (options.PageSize < 1 || options.PageSize > NodeListOptions.MaxPageSize)
        {
            throw Errors.InvalidArgument($"The page size must be between 1 and {NodeListOptions.MaxPageSize}; it is {options.PageSize}.");
        }

        if (!Enum.IsDefined(options.OrderBy))
        {
            throw Errors.InvalidArgument($"Unknown order-by field {(int)options.OrderBy}.");
        }

        if (scope.TypeName is not null && scope.TypeName.Length == 0)
        {
            throw Errors.InvalidArgument("The type name to list by must not be empty.");
        }

        TextChecks.Lookup([scope.TypeName, scope.TypeVersion], "The type name or version to list by");
        TextChecks.Lookup([options.Filter], "The filter query");

        var filter = CompileFilter(kind, options.Filter);
        var filterHash = PageToken.Hash(filter?.NormalizedText);
        var scopeHash = scope.Hash();
        PageCursor? after = null;
        if (options.PageToken is { } tokenText)
        {
            var token = PageToken.Decode(tokenText);
            if (token.Kind != kind || token.OrderBy != options.OrderBy || token.Descending != options.Descending || token.ScopeHash != scopeHash)
            {
                throw Errors.InvalidArgument("The page token was issued for a different listing: the kind, order, direction and scope must match the first call (ListOperationOptions mismatch between calls).");
            }

            if (token.FilterHash != filterHash)
            {
                throw Errors.InvalidArgument("The page token was issued for a listing with a different filter.");
            }

            after = token.Cursor;
        }

        return ReadAsync("List" + Mapping.KindName(kind) + "s", async (tx, ct) =>
        {
            long? typeId = null;
            if (scope.TypeName is not null)
            {
                var types = await tx.GetTypesAsync(Mapping.TypeKindOf(kind), new TypeQuery.ByName(scope.TypeName, NormalizeVersion(scope.TypeVersion)), ct).ConfigureAwait(false);
                if (types.Count == 0)
                {
                    return new NodePage<T>([], null);
                }

                typeId = types[0].Id;
            }

            var query = new NodeListQuery
            {
                Kind = kind,
                TypeId = typeId,
                ContextId = scope.ContextId,
                OrderBy = options.OrderBy,
                Descending = options.Descending,
                Limit = options.PageSize + 1,
                After = after,
            };
            query = query with { Filter = filter };
            var rows = await tx.ListNodesAsync(query, ct).ConfigureAwait(false);
            string? next = null;
            if (rows.Count > options.PageSize)
            {
                var last = rows[options.PageSize - 1];
                var value = options.OrderBy switch
                {
                    NodeOrder.CreateTime => last.CreateTime,
                    NodeOrder.LastUpdateTime => last.LastUpdateTime,
                    _ => last.Id,
                };
                next = new PageToken(kind, options.OrderBy, options.Descending, scopeHash, filterHash, new PageCursor(value, last.Id)).Encode();
                rows = rows.Take(options.PageSize).ToArray();
            }

            var items = await HydrateAsync<T>(tx, kind, rows, ct).ConfigureAwait(false);
            return new NodePage<T>(items, next);
        }, cancellationToken);
    }

    /// <summary>Parses and checks a filter query once, before any storage work (InvalidArgument when it is bad); null for none.</summary>
    private static FilterQuery? CompileFilter(NodeKind kind, string? filter) =>
        string.IsNullOrWhiteSpace(filter) ? null : FilterQuery.Compile(filter, kind);

    private readonly record struct ListScope(string? TypeName, string? TypeVersion, long? ContextId)
    {
        public static ListScope All => default;

        public static ListScope OfType(string typeName, string? typeVersion)
        {
            ArgumentNullException.ThrowIfNull(typeName);
            return new(typeName, typeVersion, null);
        }

        public static ListScope InContext(long contextId) => new(null, null, contextId);

        public ulong Hash() =>
            TypeName is not null ? PageToken.Hash("type:" + TypeName + "\u0000" + (TypeVersion ?? string.Empty))
            : ContextId is { } c ? PageToken.Hash("context:" + c.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : 0;
    }
}
