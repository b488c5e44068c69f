using MetadataStore.Storage;

namespace MetadataStore.Semantics;

internal sealed partial class MetadataStoreEngine
{
    public Task PutEventsAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        return Guarded(nameof(PutEventsAsync), () => PutEventsCoreAsync(events, cancellationToken));
    }

    private Task PutEventsCoreAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        RequireNoNullItems(events, nameof(events));
        if (events.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync(nameof(PutEventsAsync), async (tx, ct) =>
        {
            var artifactIds = new HashSet<long>();
            var executionIds = new HashSet<long>();
            foreach (var e in events)
            {
                CheckEventShape(e);
                artifactIds.Add(e.ArtifactId ?? throw Errors.InvalidArgument("An event needs an artifact id."));
                executionIds.Add(e.ExecutionId ?? throw Errors.InvalidArgument("An event needs an execution id."));
            }

            await RequireExistAsync(tx, NodeKind.Artifact, artifactIds, "the event's artifact", ct).ConfigureAwait(false);
            await RequireExistAsync(tx, NodeKind.Execution, executionIds, "the event's execution", ct).ConfigureAwait(false);
            var now = Now();
            foreach (var e in events)
            {
                await InsertEventAsync(tx, e, e.ArtifactId!.Value, e.ExecutionId!.Value, now, ct).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<Event>> GetEventsByExecutionIdsAsync(IReadOnlyCollection<long> executionIds, CancellationToken cancellationToken = default) =>
        GetEventsAsync(byArtifact: false, executionIds, cancellationToken);

    public Task<IReadOnlyList<Event>> GetEventsByArtifactIdsAsync(IReadOnlyCollection<long> artifactIds, CancellationToken cancellationToken = default) =>
        GetEventsAsync(byArtifact: true, artifactIds, cancellationToken);

    public Task PutAttributionsAndAssociationsAsync(IReadOnlyList<Attribution> attributions, IReadOnlyList<Association> associations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributions);
        ArgumentNullException.ThrowIfNull(associations);
        return Guarded(nameof(PutAttributionsAndAssociationsAsync), () => PutAttributionsAndAssociationsCoreAsync(attributions, associations, cancellationToken));
    }

    private Task PutAttributionsAndAssociationsCoreAsync(IReadOnlyList<Attribution> attributions, IReadOnlyList<Association> associations, CancellationToken cancellationToken)
    {
        RequireNoNullItems(attributions, nameof(attributions));
        RequireNoNullItems(associations, nameof(associations));
        if (attributions.Count == 0 && associations.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync(nameof(PutAttributionsAndAssociationsAsync), async (tx, ct) =>
        {
            var contexts = new HashSet<long>();
            var artifacts = new HashSet<long>();
            var executions = new HashSet<long>();
            foreach (var a in attributions)
            {
                contexts.Add(a.ContextId);
                artifacts.Add(a.ArtifactId);
            }

            foreach (var a in associations)
            {
                contexts.Add(a.ContextId);
                executions.Add(a.ExecutionId);
            }

            await RequireExistAsync(tx, NodeKind.Context, contexts, "the context", ct).ConfigureAwait(false);
            await RequireExistAsync(tx, NodeKind.Artifact, artifacts, "the attributed artifact", ct).ConfigureAwait(false);
            await RequireExistAsync(tx, NodeKind.Execution, executions, "the associated execution", ct).ConfigureAwait(false);
            foreach (var a in attributions)
            {
                await tx.InsertAttributionAsync(a.ContextId, a.ArtifactId, ct).ConfigureAwait(false);
            }

            foreach (var a in associations)
            {
                await tx.InsertAssociationAsync(a.ContextId, a.ExecutionId, ct).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }

    public Task PutParentContextsAsync(IReadOnlyList<ParentContext> parentContexts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parentContexts);
        return Guarded(nameof(PutParentContextsAsync), () => PutParentContextsCoreAsync(parentContexts, cancellationToken));
    }

    private Task PutParentContextsCoreAsync(IReadOnlyList<ParentContext> parentContexts, CancellationToken cancellationToken)
    {
        RequireNoNullItems(parentContexts, nameof(parentContexts));
        if (parentContexts.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync(nameof(PutParentContextsAsync), async (tx, ct) =>
        {
            var ids = new HashSet<long>();
            foreach (var link in parentContexts)
            {
                ids.Add(link.ChildId);
                ids.Add(link.ParentId);
            }

            await RequireExistAsync(tx, NodeKind.Context, ids, "the linked context", ct).ConfigureAwait(false);
            foreach (var link in parentContexts)
            {
                await CheckNoCycleAsync(tx, link, ct).ConfigureAwait(false);
                try
                {
                    await tx.InsertParentContextAsync(link.ChildId, link.ParentId, ct).ConfigureAwait(false);
                }
                catch (StorageConstraintException ex) when (ex.Table == "ParentContext")
                {
                    throw new MetadataStoreException(MetadataErrorCode.AlreadyExists, $"Context {link.ParentId} is already a parent of context {link.ChildId}.", ex);
                }
            }

            return true;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<Context>> GetContextsByArtifactAsync(long artifactId, CancellationToken cancellationToken = default) =>
        GetContextsOfMemberAsync(NodeKind.Artifact, artifactId, cancellationToken);

    public Task<IReadOnlyList<Context>> GetContextsByExecutionAsync(long executionId, CancellationToken cancellationToken = default) =>
        GetContextsOfMemberAsync(NodeKind.Execution, executionId, cancellationToken);

    public async Task<IReadOnlyList<Context>> GetParentContextsAsync(long contextId, CancellationToken cancellationToken = default)
    {
        var map = await GetLinkedContextsAsync([contextId], byChild: true, nameof(GetParentContextsAsync), cancellationToken).ConfigureAwait(false);
        return map.TryGetValue(contextId, out var list) ? list : [];
    }

    public async Task<IReadOnlyList<Context>> GetChildContextsAsync(long contextId, CancellationToken cancellationToken = default)
    {
        var map = await GetLinkedContextsAsync([contextId], byChild: false, nameof(GetChildContextsAsync), cancellationToken).ConfigureAwait(false);
        return map.TryGetValue(contextId, out var list) ? list : [];
    }

    public Task<IReadOnlyDictionary<long, IReadOnlyList<Context>>> GetParentContextsByContextsAsync(IReadOnlyCollection<long> contextIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contextIds);
        if (contextIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<long, IReadOnlyList<Context>>>(new Dictionary<long, IReadOnlyList<Context>>());
        }

        return GetLinkedContextsAsync(contextIds, byChild: true, nameof(GetParentContextsByContextsAsync), cancellationToken);
    }

    public Task<IReadOnlyDictionary<long, IReadOnlyList<Context>>> GetChildContextsByContextsAsync(IReadOnlyCollection<long> contextIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contextIds);
        if (contextIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<long, IReadOnlyList<Context>>>(new Dictionary<long, IReadOnlyList<Context>>());
        }

        return GetLinkedContextsAsync(contextIds, byChild: false, nameof(GetChildContextsByContextsAsync), cancellationToken);
    }

    private Task<IReadOnlyList<Event>> GetEventsAsync(bool byArtifact, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids, byArtifact ? "artifactIds" : "executionIds");
        if (ids.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<Event>>([]);
        }

        return ReadAsync<IReadOnlyList<Event>>(byArtifact ? nameof(GetEventsByArtifactIdsAsync) : nameof(GetEventsByExecutionIdsAsync), async (tx, ct) =>
        {
            var records = await tx.GetEventsAsync(byArtifact, ids, ct).ConfigureAwait(false);
            var result = new Event[records.Count];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = Mapping.ToModel(records[i]);
            }

            return result;
        }, cancellationToken);
    }

    private Task<IReadOnlyList<Context>> GetContextsOfMemberAsync(NodeKind memberKind, long memberId, CancellationToken cancellationToken) =>
        ReadAsync(memberKind == NodeKind.Artifact ? nameof(GetContextsByArtifactAsync) : nameof(GetContextsByExecutionAsync), async (tx, ct) =>
        {
            var ids = await tx.GetContextIdsAsync(memberKind, memberId, ct).ConfigureAwait(false);
            return ids.Count == 0 ? [] : await LoadNodesAsync<Context>(tx, NodeKind.Context, new NodeQuery.ByIds(ids), ct).ConfigureAwait(false);
        }, cancellationToken);

    private Task<IReadOnlyDictionary<long, IReadOnlyList<Context>>> GetLinkedContextsAsync(IReadOnlyCollection<long> contextIds, bool byChild, string operation, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyDictionary<long, IReadOnlyList<Context>>>(operation, async (tx, ct) =>
        {
            var links = await tx.GetParentLinksAsync(contextIds, byChild, ct).ConfigureAwait(false);
            var result = new Dictionary<long, IReadOnlyList<Context>>();
            if (links.Count == 0)
            {
                return result;
            }

            var otherIds = new HashSet<long>();
            foreach (var link in links)
            {
                otherIds.Add(byChild ? link.ParentId : link.ChildId);
            }

            var contexts = await LoadNodesAsync<Context>(tx, NodeKind.Context, new NodeQuery.ByIds(otherIds), ct).ConfigureAwait(false);
            var byId = contexts.ToDictionary(c => c.StoredId);
            var grouped = new Dictionary<long, List<Context>>();
            foreach (var link in links)
            {
                var key = byChild ? link.ChildId : link.ParentId;
                var other = byChild ? link.ParentId : link.ChildId;
                if (!grouped.TryGetValue(key, out var list))
                {
                    grouped[key] = list = [];
                }

                if (byId.TryGetValue(other, out var context))
                {
                    list.Add(context);
                }
            }

            foreach (var (key, list) in grouped)
            {
                list.Sort(static (a, b) => a.StoredId.CompareTo(b.StoredId));
                result[key] = list;
            }

            return result;
        }, cancellationToken);

    private static void CheckEventShape(Event e)
    {
        if (e.Type == EventType.Unknown || !Enum.IsDefined(e.Type))
        {
            throw Errors.InvalidArgument($"An event needs a type other than Unknown; it has {e.Type}.");
        }

        if (e.Path is null)
        {
            throw Errors.InvalidArgument("An event's path must not be null.");
        }

        foreach (var step in e.Path)
        {
            if (!step.IsIndex && step.Key is null)
            {
                throw Errors.InvalidArgument("An event path step needs an index or a key.");
            }
        }

        TextChecks.Path(e.Path);
    }

    private static EventRecord EventRecordOf(Event e, long artifactId, long executionId, long now) => new()
    {
        ArtifactId = artifactId,
        ExecutionId = executionId,
        Type = (int)e.Type,
        Time = e.Time is { } t ? Mapping.ToMillis(t) : now,
        Path = e.Path,
    };

    private static async ValueTask InsertEventAsync(IStorageTransaction tx, Event e, long artifactId, long executionId, long now, CancellationToken ct)
    {
        var record = EventRecordOf(e, artifactId, executionId, now);
        try
        {
            await tx.InsertEventAsync(record, ct).ConfigureAwait(false);
        }
        catch (StorageConstraintException ex) when (ex.Table == "Event")
        {
            throw EventExists(ex.Record ?? record, ex);
        }
    }

    private static async ValueTask InsertEventsAsync(IStorageTransaction tx, List<EventRecord> records, CancellationToken ct)
    {
        try
        {
            await tx.InsertEventsAsync(records, ct).ConfigureAwait(false);
        }
        catch (StorageConstraintException ex) when (ex.Table == "Event")
        {
            throw EventExists(ex.Record ?? records, ex);
        }
    }

    /// <summary>MLMD's AlreadyExists for a duplicate event; a backend that sends events later reports it from a later call (see <see cref="RunAsync"/>).</summary>
    private static MetadataStoreException EventExists(object record, StorageConstraintException ex) => record switch
    {
        EventRecord one => new(MetadataErrorCode.AlreadyExists, $"An event of type {(EventType)one.Type} between artifact {one.ArtifactId} and execution {one.ExecutionId} already exists.", ex),
        IReadOnlyList<EventRecord> { Count: > 0 } many => new(MetadataErrorCode.AlreadyExists, $"One of the {many.Count} events of execution {many[0].ExecutionId} already exists (an event of the same type between the same artifact and execution).", ex),
        _ => new(MetadataErrorCode.AlreadyExists, "An event of the same type between the same artifact and execution already exists.", ex),
    };

    private static async ValueTask RequireExistAsync(IStorageTransaction tx, NodeKind kind, HashSet<long> ids, string role, CancellationToken ct)
    {
        if (ids.Count > 0)
        {
            RequireExist(await tx.GetExistingIdsAsync(kind, ids, ct).ConfigureAwait(false), kind, ids, role);
        }
    }

    /// <summary>As <see cref="RequireExistAsync(IStorageTransaction, NodeKind, HashSet{long}, string, CancellationToken)"/>, from a read started earlier (null when there are no ids).</summary>
    private static async ValueTask RequireExistAsync(StorageRead<IReadOnlySet<long>>? existing, NodeKind kind, HashSet<long> ids, string role, CancellationToken ct)
    {
        if (existing is not null)
        {
            RequireExist(await existing.GetAsync(ct).ConfigureAwait(false), kind, ids, role);
        }
    }

    private static void RequireExist(IReadOnlySet<long> existing, NodeKind kind, HashSet<long> ids, string role)
    {
        if (existing.Count == ids.Count)
        {
            return;
        }

        foreach (var id in ids)
        {
            if (!existing.Contains(id))
            {
                throw Errors.InvalidArgument($"{Mapping.KindName(kind)} {id} ({role}) does not exist.");
            }
        }
    }

    /// <summary>Refuses a link whose child is the parent or one of the parent's ancestors.</summary>
    private static async ValueTask CheckNoCycleAsync(IStorageTransaction tx, ParentContext link, CancellationToken ct)
    {
        if (link.ChildId == link.ParentId)
        {
            throw Errors.InvalidArgument($"Context {link.ChildId} cannot be its own parent (there is a cycle detected of the given relationship).");
        }

        var visited = new HashSet<long> { link.ParentId };
        var frontier = new List<long> { link.ParentId };
        while (frontier.Count > 0)
        {
            var links = await tx.GetParentLinksAsync(frontier, byChild: true, ct).ConfigureAwait(false);
            frontier = [];
            foreach (var up in links)
            {
                if (up.ParentId == link.ChildId)
                {
                    throw Errors.InvalidArgument($"Making context {link.ParentId} a parent of context {link.ChildId} would form a cycle (there is a cycle detected of the given relationship).");
                }

                if (visited.Add(up.ParentId))
                {
                    frontier.Add(up.ParentId);
                }
            }
        }
    }
}
