using System.Runtime.CompilerServices;

namespace MetadataStore;

/// <summary>The common cases above the MLMD-level API: record a step in one call, read one node by id, stream a whole listing.</summary>
public static class MetadataStoreExtensions
{
    /// <summary>
    /// Records one execution with named inputs and outputs in an optional context, in one atomic publish. Types named by
    /// the nodes' <see cref="MetadataNode.TypeName"/> are created when missing, declaring the kinds of the nodes' typed
    /// properties (existing types gain missing properties). Inputs and outputs that carry an id are linked, not changed;
    /// new ones are inserted. Each event's path is the role's name. A context that exists (same type and name) is reused.
    /// The execution, artifacts, events and context are written in one transaction; missing types are registered
    /// just before it, together in one, and stay registered if the publish fails.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="execution">The execution, usually new.</param>
    /// <param name="inputs">Input artifacts by role, such as <c>["training-data"] = dataset</c>.</param>
    /// <param name="outputs">Output artifacts by role, such as <c>["model"] = model</c>.</param>
    /// <param name="context">The context, such as an experiment, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was stored, read back.</returns>
    /// <exception cref="MetadataStoreException">AlreadyExists when a property's kind conflicts with its type; any error of <see cref="IMetadataStore.PutExecutionAsync"/>.</exception>
    public static async Task<RecordedExecution> RecordExecutionAsync(
        this IMetadataStore store,
        Execution execution,
        IReadOnlyDictionary<string, Artifact>? inputs = null,
        IReadOnlyDictionary<string, Artifact>? outputs = null,
        Context? context = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(execution);
        inputs ??= new Dictionary<string, Artifact>();
        outputs ??= new Dictionary<string, Artifact>();

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

        var pairs = new List<ArtifactAndEvent>(inputs.Count + outputs.Count);
        var roles = new List<(string Role, bool IsInput)>(pairs.Capacity);
        foreach (var (role, artifact) in inputs)
        {
            pairs.Add(Pair(role, artifact, EventType.Input));
            roles.Add((role, true));
        }

        foreach (var (role, artifact) in outputs)
        {
            pairs.Add(Pair(role, artifact, EventType.Output));
            roles.Add((role, false));
        }

        var result = await store.PutExecutionAsync(
            execution,
            pairs,
            context is null ? [] : [context],
            new PutExecutionOptions { ReuseContextIfAlreadyExists = true },
            cancellationToken).ConfigureAwait(false);

        var executions = await store.GetExecutionsByIdAsync([result.ExecutionId], cancellationToken).ConfigureAwait(false);
        var artifacts = await store.GetArtifactsByIdAsync(result.ArtifactIds, cancellationToken).ConfigureAwait(false);
        var byId = artifacts.ToDictionary(a => a.Id!.Value);
        var readInputs = new Dictionary<string, Artifact>(StringComparer.Ordinal);
        var readOutputs = new Dictionary<string, Artifact>(StringComparer.Ordinal);
        for (var i = 0; i < roles.Count; i++)
        {
            (roles[i].IsInput ? readInputs : readOutputs)[roles[i].Role] = byId[result.ArtifactIds[i]];
        }

        Context? readContext = null;
        if (result.ContextIds.Count > 0)
        {
            readContext = (await store.GetContextsByIdAsync(result.ContextIds, cancellationToken).ConfigureAwait(false))[0];
        }

        return new RecordedExecution(executions[0], readInputs, readOutputs, readContext);
    }

    /// <summary>Reads one artifact by id.</summary>
    /// <param name="store">The store.</param>
    /// <param name="id">The artifact's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The artifact, or <see langword="null"/> when no artifact has that id.</returns>
    public static async Task<Artifact?> GetArtifactByIdAsync(this IMetadataStore store, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var found = await store.GetArtifactsByIdAsync([id], cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Reads one execution by id.</summary>
    /// <param name="store">The store.</param>
    /// <param name="id">The execution's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The execution, or <see langword="null"/> when no execution has that id.</returns>
    public static async Task<Execution?> GetExecutionByIdAsync(this IMetadataStore store, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var found = await store.GetExecutionsByIdAsync([id], cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Reads one context by id.</summary>
    /// <param name="store">The store.</param>
    /// <param name="id">The context's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The context, or <see langword="null"/> when no context has that id.</returns>
    public static async Task<Context?> GetContextByIdAsync(this IMetadataStore store, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var found = await store.GetContextsByIdAsync([id], cancellationToken).ConfigureAwait(false);
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
        if (artifact is null)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The {(type == EventType.Input ? "input" : "output")} artifact for role '{role}' is null.");
        }

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
