using MetadataStore.Storage;

namespace MetadataStore.Semantics;

internal sealed partial class MetadataStoreEngine
{
    public Task<PutExecutionResult> PutExecutionAsync(Execution execution, IReadOnlyList<ArtifactAndEvent> artifactEventPairs, IReadOnlyList<Context> contexts, PutExecutionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(artifactEventPairs);
        ArgumentNullException.ThrowIfNull(contexts);
        options ??= PutExecutionOptions.Default;
        return Guarded(nameof(PutExecutionAsync), () =>
        {
            RequireNoNullItems(artifactEventPairs, nameof(artifactEventPairs));
            RequireNoNullItems(contexts, nameof(contexts));
            return PutExecutionCoreAsync(execution, artifactEventPairs, contexts, options, cancellationToken);
        });
    }

    private Task<PutExecutionResult> PutExecutionCoreAsync(Execution execution, IReadOnlyList<ArtifactAndEvent> artifactEventPairs, IReadOnlyList<Context> contexts, PutExecutionOptions options, CancellationToken cancellationToken)
    {
        return WriteNodesAsync(nameof(PutExecutionAsync), async (writer, ct) =>
        {
            var tx = writer.Transaction;

            // Reads that need nothing this call writes start first, so a backend can send them with the first write.
            var eventArtifacts = new HashSet<long>();
            foreach (var pair in artifactEventPairs)
            {
                if (pair.Artifact is null && pair.Event?.ArtifactId is { } inputId)
                {
                    eventArtifacts.Add(inputId);
                }
            }

            var inputCheck = eventArtifacts.Count == 0 ? null : await tx.StartGetExistingIdsAsync(NodeKind.Artifact, eventArtifacts, ct).ConfigureAwait(false);
            var contextLookups = new StorageRead<IReadOnlyList<NodeRecord>>?[contexts.Count];
            if (options.ReuseContextIfAlreadyExists && !options.ForceReuseContext)
            {
                for (var i = 0; i < contexts.Count; i++)
                {
                    // A context named twice is looked up again after its first upsert, which may have created it.
                    if (!NamedEarlier(contexts, i))
                    {
                        contextLookups[i] = await StartContextLookupAsync(tx, contexts[i], ct).ConfigureAwait(false);
                    }
                }
            }

            // 1. Artifacts.
            var pairArtifactIds = new long?[artifactEventPairs.Count];
            if (options.ReuseArtifactIfAlreadyExistsByExternalId)
            {
                for (var i = 0; i < artifactEventPairs.Count; i++)
                {
                    if (artifactEventPairs[i].Artifact is { } artifact)
                    {
                        pairArtifactIds[i] = await UpsertArtifactAsync(writer, artifact, reuseByExternalId: true, ct).ConfigureAwait(false);
                    }
                }
            }
            else
            {
                // All at once, as PutArtifacts writes them: new ones in multi-row statements where the backend has them.
                var artifacts = new List<MetadataNode>();
                var pairOf = new List<int>();
                for (var i = 0; i < artifactEventPairs.Count; i++)
                {
                    if (artifactEventPairs[i].Artifact is { } artifact)
                    {
                        artifacts.Add(artifact);
                        pairOf.Add(i);
                    }
                }

                if (artifacts.Count > 0)
                {
                    var ids = await writer.PutAsync(NodeKind.Artifact, artifacts, PutNodesOptions.Default, forceUpdateTime: false, ct).ConfigureAwait(false);
                    for (var k = 0; k < ids.Length; k++)
                    {
                        pairArtifactIds[pairOf[k]] = ids[k];
                    }
                }
            }

            // 2. The execution.
            var executionIds = await writer.PutAsync(NodeKind.Execution, [execution], PutNodesOptions.Default, options.ForceUpdateTime, ct).ConfigureAwait(false);
            var executionId = executionIds[0];

            // 3. Events.
            var artifactIds = new long?[artifactEventPairs.Count];
            for (var i = 0; i < artifactEventPairs.Count; i++)
            {
                var e = artifactEventPairs[i].Event;
                artifactIds[i] = pairArtifactIds[i] ?? e?.ArtifactId;
                if (e is null)
                {
                    continue;
                }

                if (e.ExecutionId is { } eventExecutionId && eventExecutionId != executionId)
                {
                    throw Errors.InvalidArgument($"Event {i} names execution {eventExecutionId}, but the request's execution is {executionId}.");
                }

                if (pairArtifactIds[i] is { } pairId && e.ArtifactId is { } eventArtifactId && eventArtifactId != pairId)
                {
                    throw Errors.InvalidArgument($"Event {i} names artifact {eventArtifactId}, but its pair's artifact is {pairId}.");
                }

                if (pairArtifactIds[i] is null)
                {
                    if (e.ArtifactId is null)
                    {
                        throw Errors.InvalidArgument($"Event {i} has no artifact id and its pair has no artifact.");
                    }

                }
            }

            await RequireExistAsync(inputCheck, NodeKind.Artifact, eventArtifacts, "the event's artifact", ct).ConfigureAwait(false);
            var events = new List<EventRecord>(artifactEventPairs.Count);
            for (var i = 0; i < artifactEventPairs.Count; i++)
            {
                if (artifactEventPairs[i].Event is { } e)
                {
                    CheckEventShape(e);
                    events.Add(EventRecordOf(e, artifactIds[i]!.Value, executionId, writer.Now));
                }
            }

            await InsertEventsAsync(tx, events, ct).ConfigureAwait(false);

            // 4. Contexts, then every context holds the execution and every artifact.
            var contextIds = new long[contexts.Count];
            for (var i = 0; i < contexts.Count; i++)
            {
                contextIds[i] = await UpsertContextAsync(writer, contexts[i], options.ReuseContextIfAlreadyExists, options.ForceReuseContext, ct, contextLookups[i]).ConfigureAwait(false);
            }

            var attributed = new List<long>(artifactIds.Length);
            foreach (var artifactId in artifactIds)
            {
                if (artifactId is { } id)
                {
                    attributed.Add(id);
                }
            }

            foreach (var contextId in contextIds)
            {
                await tx.InsertAssociationAsync(contextId, executionId, ct).ConfigureAwait(false);
                await tx.InsertAttributionsAsync(contextId, attributed, ct).ConfigureAwait(false);
            }

            return new PutExecutionResult(executionId, artifactIds, contextIds);
        }, cancellationToken);
    }

    public Task<PutLineageSubgraphResult> PutLineageSubgraphAsync(IReadOnlyList<Execution> executions, IReadOnlyList<Artifact> artifacts, IReadOnlyList<Context> contexts, IReadOnlyList<EventEdge> eventEdges, PutLineageSubgraphOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executions);
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(contexts);
        ArgumentNullException.ThrowIfNull(eventEdges);
        options ??= PutLineageSubgraphOptions.Default;
        return Guarded(nameof(PutLineageSubgraphAsync), () =>
        {
            RequireNoNullItems(executions, nameof(executions));
            RequireNoNullItems(artifacts, nameof(artifacts));
            RequireNoNullItems(contexts, nameof(contexts));
            CheckEventEdges(executions, artifacts, eventEdges);
            return PutLineageSubgraphCoreAsync(executions, artifacts, contexts, eventEdges, options, cancellationToken);
        });
    }

    private Task<PutLineageSubgraphResult> PutLineageSubgraphCoreAsync(IReadOnlyList<Execution> executions, IReadOnlyList<Artifact> artifacts, IReadOnlyList<Context> contexts, IReadOnlyList<EventEdge> eventEdges, PutLineageSubgraphOptions options, CancellationToken cancellationToken)
    {
        return WriteNodesAsync(nameof(PutLineageSubgraphAsync), async (writer, ct) =>
        {
            var tx = writer.Transaction;
            var contextIds = new long[contexts.Count];
            for (var i = 0; i < contexts.Count; i++)
            {
                contextIds[i] = await UpsertContextAsync(writer, contexts[i], options.ReuseContextIfAlreadyExists, forceReuse: false, ct).ConfigureAwait(false);
            }

            var artifactIds = new long[artifacts.Count];
            for (var i = 0; i < artifacts.Count; i++)
            {
                artifactIds[i] = await UpsertArtifactAsync(writer, artifacts[i], options.ReuseArtifactIfAlreadyExistsByExternalId, ct).ConfigureAwait(false);
            }

            var executionIds = await writer.PutAsync(NodeKind.Execution, executions, PutNodesOptions.Default, forceUpdateTime: false, ct).ConfigureAwait(false);
            foreach (var contextId in contextIds)
            {
                foreach (var executionId in executionIds)
                {
                    await tx.InsertAssociationAsync(contextId, executionId, ct).ConfigureAwait(false);
                }

                foreach (var artifactId in artifactIds)
                {
                    await tx.InsertAttributionAsync(contextId, artifactId, ct).ConfigureAwait(false);
                }
            }

            var byIdArtifacts = new HashSet<long>();
            var byIdExecutions = new HashSet<long>();
            foreach (var edge in eventEdges)
            {
                if (edge.ArtifactIndex is null)
                {
                    byIdArtifacts.Add(edge.Event.ArtifactId!.Value);
                }

                if (edge.ExecutionIndex is null)
                {
                    byIdExecutions.Add(edge.Event.ExecutionId!.Value);
                }
            }

            await RequireExistAsync(tx, NodeKind.Artifact, byIdArtifacts, "the event's artifact", ct).ConfigureAwait(false);
            await RequireExistAsync(tx, NodeKind.Execution, byIdExecutions, "the event's execution", ct).ConfigureAwait(false);
            foreach (var edge in eventEdges)
            {
                var artifactId = edge.ArtifactIndex is { } ai ? artifactIds[ai] : edge.Event.ArtifactId!.Value;
                var executionId = edge.ExecutionIndex is { } ei ? executionIds[ei] : edge.Event.ExecutionId!.Value;
                await InsertEventAsync(tx, edge.Event, artifactId, executionId, writer.Now, ct).ConfigureAwait(false);
            }

            return new PutLineageSubgraphResult(executionIds, artifactIds, contextIds);
        }, cancellationToken);
    }

    /// <summary>MLMD's edge checks, run before anything is written.</summary>
    private static void CheckEventEdges(IReadOnlyList<Execution> executions, IReadOnlyList<Artifact> artifacts, IReadOnlyList<EventEdge> edges)
    {
        for (var i = 0; i < edges.Count; i++)
        {
            var edge = edges[i];
            if (edge?.Event is null)
            {
                throw Errors.InvalidArgument($"Event edge {i} has no event.");
            }

            CheckEventShape(edge.Event);
            CheckEnd(i, "execution", edge.ExecutionIndex, edge.Event.ExecutionId, executions.Count, index => executions[index].Id);
            CheckEnd(i, "artifact", edge.ArtifactIndex, edge.Event.ArtifactId, artifacts.Count, index => artifacts[index].Id);
        }
    }

    private static void CheckEnd(int edge, string what, int? index, long? eventId, int count, Func<int, long?> idAt)
    {
        if (index is null)
        {
            if (eventId is null)
            {
                throw Errors.InvalidArgument($"Event edge {edge} names its {what} neither by index nor by the event's {what} id.");
            }

            return;
        }

        if (index < 0 || index >= count)
        {
            throw Errors.OutOfRange($"Event edge {edge} has {what} index {index}, outside the request's {count} {what}s.");
        }

        if (eventId is { } id)
        {
            var indexed = idAt(index.Value) ?? throw Errors.InvalidArgument($"Event edge {edge} gives an {what} id, but the {what} at index {index} has no id (missing {what} ID).");
            if (indexed != id)
            {
                throw Errors.InvalidArgument($"Event edge {edge}: the {what} at index {index} has id {indexed}, the event names {id} ({what} ID mismatch).");
            }
        }
    }

    private static async ValueTask<long> UpsertArtifactAsync(NodeWriter writer, Artifact artifact, bool reuseByExternalId, CancellationToken ct)
    {
        TextChecks.Node(NodeKind.Artifact, artifact);
        if (artifact.Id is null && reuseByExternalId && !string.IsNullOrEmpty(artifact.ExternalId))
        {
            var found = await writer.Transaction.GetNodesAsync(NodeKind.Artifact, new NodeQuery.ByExternalIds([artifact.ExternalId]), ct).ConfigureAwait(false);
            if (found.Count > 0)
            {
                artifact = artifact with { Id = found[0].Id };
            }
        }

        var ids = await writer.PutAsync(NodeKind.Artifact, [artifact], PutNodesOptions.Default, forceUpdateTime: false, ct).ConfigureAwait(false);
        return ids[0];
    }

    private static bool NamedEarlier(IReadOnlyList<Context> contexts, int index)
    {
        for (var i = 0; i < index; i++)
        {
            if (contexts[i].TypeId == contexts[index].TypeId && string.Equals(contexts[i].Name, contexts[index].Name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Starts looking up a context to reuse by its type id and name, when it names both and its text passes the checks;
    /// otherwise null, and <see cref="UpsertContextAsync"/> checks and looks up in its turn.
    /// </summary>
    private static async ValueTask<StorageRead<IReadOnlyList<NodeRecord>>?> StartContextLookupAsync(IStorageTransaction tx, Context context, CancellationToken ct)
    {
        if (context.Id is not null || context.TypeId is not { } typeId || string.IsNullOrEmpty(context.Name))
        {
            return null;
        }

        try
        {
            TextChecks.Node(NodeKind.Context, context);
        }
        catch (MetadataStoreException)
        {
            return null;
        }

        return await tx.StartGetNodesAsync(NodeKind.Context, new NodeQuery.ByTypeAndName(typeId, context.Name), ct).ConfigureAwait(false);
    }

    private static async ValueTask<long> UpsertContextAsync(NodeWriter writer, Context context, bool reuseIfExists, bool forceReuse, CancellationToken ct, StorageRead<IReadOnlyList<NodeRecord>>? lookup = null)
    {
        TextChecks.Node(NodeKind.Context, context);
        var tx = writer.Transaction;
        if (context.Id is { } id)
        {
            if (forceReuse)
            {
                var existing = await tx.GetExistingIdsAsync(NodeKind.Context, [id], ct).ConfigureAwait(false);
                return existing.Count == 1 ? id : throw Errors.NotFound($"Context {id} does not exist, so it cannot be reused.");
            }

            var updated = await writer.PutAsync(NodeKind.Context, [context], PutNodesOptions.Default, forceUpdateTime: false, ct).ConfigureAwait(false);
            return updated[0];
        }

        var type = await writer.ResolveTypeAsync(NodeKind.Context, context, ct).ConfigureAwait(false);
        if (string.IsNullOrEmpty(context.Name))
        {
            throw Errors.InvalidArgument($"A context of type '{type.Name}' needs a non-empty name.");
        }

        if (reuseIfExists)
        {
            // A lookup started earlier used the context's type id, which resolving has just confirmed.
            var found = lookup is not null && type.Id == context.TypeId
                ? await lookup.GetAsync(ct).ConfigureAwait(false)
                : await tx.GetNodesAsync(NodeKind.Context, new NodeQuery.ByTypeAndName(type.Id, context.Name), ct).ConfigureAwait(false);
            if (found.Count > 0)
            {
                return found[0].Id;
            }
        }

        try
        {
            var inserted = await writer.PutAsync(NodeKind.Context, [context with { TypeId = type.Id }], PutNodesOptions.Default, forceUpdateTime: false, ct).ConfigureAwait(false);
            return inserted[0];
        }
        catch (MetadataStoreException ex) when (reuseIfExists && ex.ErrorCode == MetadataErrorCode.AlreadyExists)
        {
            throw new MetadataStoreException(MetadataErrorCode.Aborted, $"Context '{context.Name}' of type '{type.Name}' was created concurrently; retry the call to reuse it.", ex);
        }
    }
}
