using System.Runtime.CompilerServices;
using MetadataStore.Semantics;

namespace MetadataStore;

/// <summary>
/// The common cases above the MLMD-level API: record a step in one call, read one node by id, stream a whole
/// listing. They follow <see cref="IMetadataStore"/>'s error rule: a null argument throws
/// <see cref="ArgumentNullException"/> at once; every other failure is a <see cref="MetadataStoreException"/> from the
/// task (or, for a stream, from its enumeration).
/// </summary>
public static class MetadataStoreExtensions
{
    /// <summary>
    /// Records one execution with named inputs and outputs in an optional context, in one atomic publish. Types named by
    /// the nodes' <see cref="MetadataNode.TypeName"/> are created when missing, declaring the kinds of the nodes' typed
    /// properties (existing types gain missing properties). Inputs and outputs that carry an id are linked, not changed;
    /// new ones are inserted. Each event's path is the role's name. A context that exists (same type and name) is reused.
    /// With <paramref name="options"/>, a re-run of the same step reuses the artifacts and the execution it stored the
    /// first time instead of failing with AlreadyExists.
    /// The execution, artifacts, events and context are written in one transaction; missing types are registered
    /// just before it, together in one, and stay registered if the publish fails.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="execution">The execution, usually new.</param>
    /// <param name="inputs">Input artifacts by role, such as <c>["training-data"] = dataset</c>.</param>
    /// <param name="outputs">Output artifacts by role, such as <c>["model"] = model</c>.</param>
    /// <param name="context">The context, such as an experiment, or <see langword="null"/>.</param>
    /// <param name="options">What a re-run reuses; <see langword="null"/> for <see cref="RecordExecutionOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was stored, read back.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument for a null artifact in a role; AlreadyExists when a property's kind conflicts with its type, or
    /// when a node exists and is not to be reused; any error of <see cref="IMetadataStore.PutExecutionAsync"/>.</exception>
    public static Task<RecordedExecution> RecordExecutionAsync(
        this IMetadataStore store,
        Execution execution,
        IReadOnlyDictionary<string, Artifact>? inputs = null,
        IReadOnlyDictionary<string, Artifact>? outputs = null,
        Context? context = null,
        RecordExecutionOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(execution);
        return RecordExecutionCoreAsync(store, execution, inputs ?? new Dictionary<string, Artifact>(), outputs ?? new Dictionary<string, Artifact>(), context, options ?? RecordExecutionOptions.Default, cancellationToken);
    }

    private static async Task<RecordedExecution> RecordExecutionCoreAsync(
        IMetadataStore store,
        Execution execution,
        IReadOnlyDictionary<string, Artifact> inputs,
        IReadOnlyDictionary<string, Artifact> outputs,
        Context? context,
        RecordExecutionOptions options,
        CancellationToken cancellationToken)
    {
        foreach (var (role, artifact) in inputs.Concat(outputs))
        {
            if (artifact is null)
            {
                var ex = new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The artifact of role '{role}' is null.");
                (store as MetadataStoreEngine)?.ReportFailure(nameof(RecordExecutionAsync), ex);
                throw ex;
            }
        }

        if (options.ReuseExistingArtifacts)
        {
            inputs = await ReuseStoredAsync(store, inputs, cancellationToken).ConfigureAwait(false);
            outputs = await ReuseStoredAsync(store, outputs, cancellationToken).ConfigureAwait(false);
        }

        if (options.ReuseExistingExecution && execution.Id is null && await FindStoredExecutionAsync(store, execution, cancellationToken).ConfigureAwait(false) is { } storedExecution)
        {
            execution = execution with { Id = storedExecution.Id, TypeId = storedExecution.TypeId };
        }

        var executionTypes = new List<ExecutionType>(1);
        if (execution.TypeId is null && execution.TypeName is { } executionTypeName)
        {
            executionTypes.Add(WithKinds(new ExecutionType(executionTypeName), execution));
        }

        var artifactTypes = new Dictionary<string, ArtifactType>(StringComparer.Ordinal);
        foreach (var artifact in inputs.Values.Concat(outputs.Values))
        {
            if (artifact is { Id: null, TypeId: null, TypeName: { } typeName })
            {
                artifactTypes[typeName] = WithKinds(artifactTypes.GetValueOrDefault(typeName) ?? new ArtifactType(typeName), artifact);
            }
        }

        var contextTypes = new List<ContextType>(1);
        if (context is { Id: null, TypeId: null, TypeName: { } contextTypeName })
        {
            contextTypes.Add(WithKinds(new ContextType(contextTypeName), context));
        }

        if (executionTypes.Count + artifactTypes.Count + contextTypes.Count > 0)
        {
            await store.PutTypesAsync(
                [.. artifactTypes.Values],
                executionTypes,
                contextTypes,
                new PutTypeOptions { CanAddFields = true, CanOmitFields = true },
                cancellationToken).ConfigureAwait(false);
        }

        // A stored execution keeps the events it has: a re-run records only the new ones.
        var storedEvents = new HashSet<(long ArtifactId, EventType Type)>();
        if (execution.Id is { } executionId)
        {
            foreach (var e in await store.GetEventsByExecutionIdsAsync([executionId], cancellationToken).ConfigureAwait(false))
            {
                storedEvents.Add((e.ArtifactId!.Value, e.Type));
            }
        }

        var pairs = new List<ArtifactAndEvent>(inputs.Count + outputs.Count);
        var roles = new List<(string Role, bool IsInput)>(pairs.Capacity);
        var linkedOnly = new List<long>();
        foreach (var (isInput, role, artifact) in inputs.Select(p => (true, p.Key, p.Value)).Concat(outputs.Select(p => (false, p.Key, p.Value))))
        {
            var type = isInput ? EventType.Input : EventType.Output;
            if (artifact.Id is { } id && storedEvents.Contains((id, type)))
            {
                linkedOnly.Add(id);
            }

            pairs.Add(Pair(role, artifact, type));
            roles.Add((role, isInput));
        }

        if (linkedOnly.Count > 0)
        {
            // An artifact whose event is stored is passed as stored, without an event: unchanged, still put in the context.
            var stored = (await store.GetArtifactsByIdAsync(linkedOnly, cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.StoredId);
            for (var i = 0; i < pairs.Count; i++)
            {
                if (pairs[i].Event is { ArtifactId: { } id } e && storedEvents.Contains((id, e.Type)) && stored.TryGetValue(id, out var artifact))
                {
                    pairs[i] = new ArtifactAndEvent(artifact, null);
                }
            }
        }

        var result = await store.PutExecutionAsync(
            execution,
            pairs,
            context is null ? [] : [context],
            new PutExecutionOptions { ReuseContextIfAlreadyExists = true },
            cancellationToken).ConfigureAwait(false);

        var executions = await store.GetExecutionsByIdAsync([result.ExecutionId], cancellationToken).ConfigureAwait(false);
        var artifactIds = result.ArtifactIds.Select(id => id!.Value).ToArray();
        var artifacts = await store.GetArtifactsByIdAsync(artifactIds, cancellationToken).ConfigureAwait(false);
        var byId = artifacts.ToDictionary(a => a.StoredId);
        var readInputs = new Dictionary<string, Artifact>(StringComparer.Ordinal);
        var readOutputs = new Dictionary<string, Artifact>(StringComparer.Ordinal);
        for (var i = 0; i < roles.Count; i++)
        {
            (roles[i].IsInput ? readInputs : readOutputs)[roles[i].Role] = byId[artifactIds[i]];
        }

        Context? readContext = null;
        if (result.ContextIds.Count > 0)
        {
            readContext = (await store.GetContextsByIdAsync(result.ContextIds, cancellationToken).ConfigureAwait(false))[0];
        }

        return new RecordedExecution(executions[0], readInputs, readOutputs, readContext);
    }

    /// <summary>Gives each artifact without an id that is stored (by external id, else by type and name) the stored artifact's id.</summary>
    private static async Task<IReadOnlyDictionary<string, Artifact>> ReuseStoredAsync(IMetadataStore store, IReadOnlyDictionary<string, Artifact> artifacts, CancellationToken cancellationToken)
    {
        var byExternalId = artifacts.Values.Where(a => a.Id is null && !string.IsNullOrEmpty(a.ExternalId)).Select(a => a.ExternalId!).Distinct(StringComparer.Ordinal).ToArray();
        var stored = byExternalId.Length == 0
            ? new Dictionary<string, Artifact>(StringComparer.Ordinal)
            : (await store.GetArtifactsByExternalIdAsync(byExternalId, cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.ExternalId!, StringComparer.Ordinal);
        var result = new Dictionary<string, Artifact>(artifacts.Count, StringComparer.Ordinal);
        foreach (var (role, artifact) in artifacts)
        {
            Artifact? found = null;
            if (artifact.Id is null)
            {
                found = !string.IsNullOrEmpty(artifact.ExternalId)
                    ? stored.GetValueOrDefault(artifact.ExternalId)
                    : !string.IsNullOrEmpty(artifact.Name) && await TypeNameOfAsync(store, artifact, cancellationToken).ConfigureAwait(false) is { } typeName
                        ? await store.GetArtifactByTypeAndNameAsync(typeName, artifact.Name, cancellationToken).ConfigureAwait(false)
                        : null;
            }

            result[role] = found is null ? artifact : artifact with { Id = found.Id, TypeId = found.TypeId };
        }

        return result;
    }

    private static async Task<Execution?> FindStoredExecutionAsync(IMetadataStore store, Execution execution, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(execution.ExternalId))
        {
            var found = await store.GetExecutionsByExternalIdAsync([execution.ExternalId], cancellationToken).ConfigureAwait(false);
            return found.Count == 0 ? null : found[0];
        }

        if (string.IsNullOrEmpty(execution.Name))
        {
            return null;
        }

        var typeName = execution.TypeName;
        if (execution.TypeId is { } typeId)
        {
            var types = await store.GetExecutionTypesByIdAsync([typeId], cancellationToken).ConfigureAwait(false);
            typeName = types.Count == 0 ? null : types[0].Name;
        }

        return typeName is null ? null : await store.GetExecutionByTypeAndNameAsync(typeName, execution.Name, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string?> TypeNameOfAsync(IMetadataStore store, Artifact artifact, CancellationToken cancellationToken)
    {
        if (artifact.TypeId is not { } typeId)
        {
            return artifact.TypeName;
        }

        var types = await store.GetArtifactTypesByIdAsync([typeId], cancellationToken).ConfigureAwait(false);
        return types.Count == 0 ? null : types[0].Name;
    }

    /// <summary>Reads one artifact by id.</summary>
    /// <param name="store">The store.</param>
    /// <param name="id">The artifact's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The artifact, or <see langword="null"/> when no artifact has that id.</returns>
    public static Task<Artifact?> GetArtifactByIdAsync(this IMetadataStore store, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return FirstOrNullAsync(store.GetArtifactsByIdAsync([id], cancellationToken));
    }

    /// <summary>Reads one execution by id.</summary>
    /// <param name="store">The store.</param>
    /// <param name="id">The execution's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The execution, or <see langword="null"/> when no execution has that id.</returns>
    public static Task<Execution?> GetExecutionByIdAsync(this IMetadataStore store, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return FirstOrNullAsync(store.GetExecutionsByIdAsync([id], cancellationToken));
    }

    /// <summary>Reads one context by id.</summary>
    /// <param name="store">The store.</param>
    /// <param name="id">The context's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The context, or <see langword="null"/> when no context has that id.</returns>
    public static Task<Context?> GetContextByIdAsync(this IMetadataStore store, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return FirstOrNullAsync(store.GetContextsByIdAsync([id], cancellationToken));
    }

    private static async Task<T?> FirstOrNullAsync<T>(Task<IReadOnlyList<T>> read)
        where T : class
    {
        var found = await read.ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Streams every artifact of a listing, reading it page by page so that memory stays flat.</summary>
    /// <param name="store">The store.</param>
    /// <param name="options">Ordering, filter and page size; any page token is ignored.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The artifacts in listing order.</returns>
    public static IAsyncEnumerable<Artifact> EnumerateArtifactsAsync(this IMetadataStore store, NodeListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return EnumerateAsync(store.ListArtifactsAsync, options, cancellationToken);
    }

    /// <summary>Streams every execution of a listing, reading it page by page so that memory stays flat.</summary>
    /// <param name="store">The store.</param>
    /// <param name="options">Ordering, filter and page size; any page token is ignored.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The executions in listing order.</returns>
    public static IAsyncEnumerable<Execution> EnumerateExecutionsAsync(this IMetadataStore store, NodeListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return EnumerateAsync(store.ListExecutionsAsync, options, cancellationToken);
    }

    /// <summary>Streams every context of a listing, reading it page by page so that memory stays flat.</summary>
    /// <param name="store">The store.</param>
    /// <param name="options">Ordering, filter and page size; any page token is ignored.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The contexts in listing order.</returns>
    public static IAsyncEnumerable<Context> EnumerateContextsAsync(this IMetadataStore store, NodeListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return EnumerateAsync(store.ListContextsAsync, options, cancellationToken);
    }

    /// <summary>Streams every artifact of a type, page by page; an unknown type gives none.</summary>
    /// <param name="store">The store.</param>
    /// <param name="typeName">The type's name.</param>
    /// <param name="typeVersion">The type's version; <see langword="null"/> for the unversioned type.</param>
    /// <param name="options">Ordering, filter and page size; any page token is ignored.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The artifacts in listing order.</returns>
    public static IAsyncEnumerable<Artifact> EnumerateArtifactsByTypeAsync(this IMetadataStore store, string typeName, string? typeVersion = null, NodeListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(typeName);
        return EnumerateAsync((o, ct) => store.ListArtifactsByTypeAsync(typeName, typeVersion, o, ct), options, cancellationToken);
    }

    /// <summary>Streams every execution of a type, page by page; an unknown type gives none.</summary>
    /// <param name="store">The store.</param>
    /// <param name="typeName">The type's name.</param>
    /// <param name="typeVersion">The type's version; <see langword="null"/> for the unversioned type.</param>
    /// <param name="options">Ordering, filter and page size; any page token is ignored.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The executions in listing order.</returns>
    public static IAsyncEnumerable<Execution> EnumerateExecutionsByTypeAsync(this IMetadataStore store, string typeName, string? typeVersion = null, NodeListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(typeName);
        return EnumerateAsync((o, ct) => store.ListExecutionsByTypeAsync(typeName, typeVersion, o, ct), options, cancellationToken);
    }

    /// <summary>Streams every context of a type, page by page; an unknown type gives none.</summary>
    /// <param name="store">The store.</param>
    /// <param name="typeName">The type's name.</param>
    /// <param name="typeVersion">The type's version; <see langword="null"/> for the unversioned type.</param>
    /// <param name="options">Ordering, filter and page size; any page token is ignored.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The contexts in listing order.</returns>
    public static IAsyncEnumerable<Context> EnumerateContextsByTypeAsync(this IMetadataStore store, string typeName, string? typeVersion = null, NodeListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(typeName);
        return EnumerateAsync((o, ct) => store.ListContextsByTypeAsync(typeName, typeVersion, o, ct), options, cancellationToken);
    }

    /// <summary>Streams every artifact attributed to a context (directly), page by page.</summary>
    /// <param name="store">The store.</param>
    /// <param name="contextId">The context's id.</param>
    /// <param name="options">Ordering, filter and page size; any page token is ignored.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The artifacts in listing order.</returns>
    public static IAsyncEnumerable<Artifact> EnumerateArtifactsByContextAsync(this IMetadataStore store, long contextId, NodeListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return EnumerateAsync((o, ct) => store.ListArtifactsByContextAsync(contextId, o, ct), options, cancellationToken);
    }

    /// <summary>Streams every execution associated with a context (directly), page by page.</summary>
    /// <param name="store">The store.</param>
    /// <param name="contextId">The context's id.</param>
    /// <param name="options">Ordering, filter and page size; any page token is ignored.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The executions in listing order.</returns>
    public static IAsyncEnumerable<Execution> EnumerateExecutionsByContextAsync(this IMetadataStore store, long contextId, NodeListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return EnumerateAsync((o, ct) => store.ListExecutionsByContextAsync(contextId, o, ct), options, cancellationToken);
    }

    private static async IAsyncEnumerable<T> EnumerateAsync<T>(Func<NodeListOptions?, CancellationToken, Task<NodePage<T>>> list, NodeListOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var current = (options ?? NodeListOptions.Default) with { PageToken = null };
        while (true)
        {
            var page = await list(current, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            if (page.NextPageToken is null)
            {
                yield break;
            }

            current = current with { PageToken = page.NextPageToken };
        }
    }

    private static ArtifactAndEvent Pair(string role, Artifact artifact, EventType type)
    {
        var e = Event.Of(type).WithPath(role);
        return artifact.Id is { } id ? new ArtifactAndEvent(null, e with { ArtifactId = id }) : new ArtifactAndEvent(artifact, e);
    }

    private static T WithKinds<T>(T type, MetadataNode node)
        where T : MetadataType
    {
        var properties = new Dictionary<string, PropertyKind>(type.Properties, StringComparer.Ordinal);
        foreach (var (name, value) in node.Properties)
        {
            properties[name] = value.Kind;
        }

        return type with { Properties = properties.AsReadOnly() };
    }
}
