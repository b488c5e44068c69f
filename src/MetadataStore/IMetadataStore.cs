namespace MetadataStore;

/// <summary>
/// An ML metadata store with the semantics of Google's ML Metadata (MLMD): typed artifacts, executions and
/// contexts, the events, attributions, associations and parent links between them, and listings with paging and
/// filters. Every call is one transaction: it either completes or changes nothing.
/// <para>
/// Errors follow one rule. A <see langword="null"/> argument that is not marked nullable throws
/// <see cref="ArgumentNullException"/> at once, before any task exists. Every other failure (a bad page size, token,
/// filter or value, a missing node, a conflict) is a <see cref="MetadataStoreException"/> with an error code,
/// delivered through the returned task; a cancelled call's task throws <see cref="OperationCanceledException"/>.
/// </para>
/// <para>
/// <c>Get*</c> reads return every match; <c>List*</c> reads return one <see cref="NodePage{T}"/> and the token of
/// the next; <c>Enumerate*</c> extension methods stream a whole listing.
/// </para>
/// <para>
/// Open one with <c>MetadataStoreBuilder</c>. An instance is safe to use from several threads at once. This
/// interface is implemented by the library only and may gain members in any release; do not implement it
/// (wrap or decorate an instance you were given instead).
/// </para>
/// </summary>
public interface IMetadataStore : IAsyncDisposable, IDisposable
{
    // ---- Types ----

    /// <summary>Stores an artifact type, or checks and evolves the stored type of the same name and version.</summary>
    /// <param name="type">The type.</param>
    /// <param name="options">Whether properties may be added or left out; <see langword="null"/> for exact match.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The type's id.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument for a missing name or an <see cref="PropertyKind.Unknown"/> property;
    /// AlreadyExists when the definition conflicts with the stored one; Unimplemented for a base type change.</exception>
    Task<long> PutArtifactTypeAsync(ArtifactType type, PutTypeOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Stores an execution type, or checks and evolves the stored type of the same name and version.</summary>
    /// <param name="type">The type.</param>
    /// <param name="options">Whether properties may be added or left out; <see langword="null"/> for exact match.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The type's id.</returns>
    /// <exception cref="MetadataStoreException">As for <see cref="PutArtifactTypeAsync"/>.</exception>
    Task<long> PutExecutionTypeAsync(ExecutionType type, PutTypeOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Stores a context type, or checks and evolves the stored type of the same name and version.</summary>
    /// <param name="type">The type.</param>
    /// <param name="options">Whether properties may be added or left out; <see langword="null"/> for exact match.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The type's id.</returns>
    /// <exception cref="MetadataStoreException">As for <see cref="PutArtifactTypeAsync"/>.</exception>
    Task<long> PutContextTypeAsync(ContextType type, PutTypeOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Stores several types of every kind in one transaction.</summary>
    /// <param name="artifactTypes">Artifact types.</param>
    /// <param name="executionTypes">Execution types.</param>
    /// <param name="contextTypes">Context types.</param>
    /// <param name="options">Whether properties may be added or left out; <see langword="null"/> for exact match.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ids, in request order.</returns>
    Task<PutTypesResult> PutTypesAsync(IReadOnlyList<ArtifactType> artifactTypes, IReadOnlyList<ExecutionType> executionTypes, IReadOnlyList<ContextType> contextTypes, PutTypeOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Reads an artifact type by name and version.</summary>
    /// <param name="name">The type's name.</param>
    /// <param name="version">The type's version; <see langword="null"/> or empty for the unversioned type.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The type.</returns>
    /// <exception cref="MetadataStoreException">NotFound when no such type exists.</exception>
    Task<ArtifactType> GetArtifactTypeAsync(string name, string? version = null, CancellationToken cancellationToken = default);

    /// <summary>Reads an execution type by name and version.</summary>
    /// <param name="name">The type's name.</param>
    /// <param name="version">The type's version; <see langword="null"/> or empty for the unversioned type.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The type.</returns>
    /// <exception cref="MetadataStoreException">NotFound when no such type exists.</exception>
    Task<ExecutionType> GetExecutionTypeAsync(string name, string? version = null, CancellationToken cancellationToken = default);

    /// <summary>Reads a context type by name and version.</summary>
    /// <param name="name">The type's name.</param>
    /// <param name="version">The type's version; <see langword="null"/> or empty for the unversioned type.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The type.</returns>
    /// <exception cref="MetadataStoreException">NotFound when no such type exists.</exception>
    Task<ContextType> GetContextTypeAsync(string name, string? version = null, CancellationToken cancellationToken = default);

    /// <summary>Lists every artifact type except MLMD's system types, by id.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The types; empty when there are none.</returns>
    Task<IReadOnlyList<ArtifactType>> GetArtifactTypesAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists every execution type except MLMD's system types, by id.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The types; empty when there are none.</returns>
    Task<IReadOnlyList<ExecutionType>> GetExecutionTypesAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists every context type, by id.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The types; empty when there are none.</returns>
    Task<IReadOnlyList<ContextType>> GetContextTypesAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads artifact types by id; unknown ids are skipped.</summary>
    /// <param name="ids">The ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The types found, by id.</returns>
    Task<IReadOnlyList<ArtifactType>> GetArtifactTypesByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Reads execution types by id; unknown ids are skipped.</summary>
    /// <param name="ids">The ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The types found, by id.</returns>
    Task<IReadOnlyList<ExecutionType>> GetExecutionTypesByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Reads context types by id; unknown ids are skipped.</summary>
    /// <param name="ids">The ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The types found, by id.</returns>
    Task<IReadOnlyList<ContextType>> GetContextTypesByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Reads artifact types by external id.</summary>
    /// <param name="externalIds">The external ids; none may be empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The types found; empty when none matches.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument for an empty external id.</exception>
    Task<IReadOnlyList<ArtifactType>> GetArtifactTypesByExternalIdAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default);

    /// <summary>Reads execution types by external id.</summary>
    /// <param name="externalIds">The external ids; none may be empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The types found; empty when none matches.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument for an empty external id.</exception>
    Task<IReadOnlyList<ExecutionType>> GetExecutionTypesByExternalIdAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default);

    /// <summary>Reads context types by external id.</summary>
    /// <param name="externalIds">The external ids; none may be empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The types found; empty when none matches.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument for an empty external id.</exception>
    Task<IReadOnlyList<ContextType>> GetContextTypesByExternalIdAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default);

    // ---- Nodes: writes ----

    /// <summary>Inserts artifacts without an id and updates those with one, all or nothing.</summary>
    /// <param name="artifacts">The artifacts.</param>
    /// <param name="options">The field mask and the optimistic update check; <see langword="null"/> for full replace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The artifacts' ids, in request order.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument for an unknown type or id, a changed type or a property that does not match the type;
    /// AlreadyExists for a duplicate name within the type or a duplicate external id; FailedPrecondition when the optimistic check fails.</exception>
    Task<IReadOnlyList<long>> PutArtifactsAsync(IReadOnlyList<Artifact> artifacts, PutNodesOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Inserts executions without an id and updates those with one, all or nothing.</summary>
    /// <param name="executions">The executions.</param>
    /// <param name="options">The field mask and the optimistic update check; <see langword="null"/> for full replace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The executions' ids, in request order.</returns>
    /// <exception cref="MetadataStoreException">As for <see cref="PutArtifactsAsync"/>.</exception>
    Task<IReadOnlyList<long>> PutExecutionsAsync(IReadOnlyList<Execution> executions, PutNodesOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Inserts contexts without an id and updates those with one, all or nothing.</summary>
    /// <param name="contexts">The contexts; each needs a non-empty name.</param>
    /// <param name="options">The field mask and the optimistic update check; <see langword="null"/> for full replace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The contexts' ids, in request order.</returns>
    /// <exception cref="MetadataStoreException">As for <see cref="PutArtifactsAsync"/>, and InvalidArgument for a missing name.</exception>
    Task<IReadOnlyList<long>> PutContextsAsync(IReadOnlyList<Context> contexts, PutNodesOptions? options = null, CancellationToken cancellationToken = default);

    // ---- Nodes: reads ----

    /// <summary>Reads artifacts by id; unknown ids are skipped.</summary>
    /// <param name="ids">The ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The artifacts found, by id.</returns>
    Task<IReadOnlyList<Artifact>> GetArtifactsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Reads executions by id; unknown ids are skipped.</summary>
    /// <param name="ids">The ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The executions found, by id.</returns>
    Task<IReadOnlyList<Execution>> GetExecutionsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Reads contexts by id; unknown ids are skipped.</summary>
    /// <param name="ids">The ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The contexts found, by id.</returns>
    Task<IReadOnlyList<Context>> GetContextsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Reads artifacts by id together with their types, in one transaction (MLMD's <c>populate_artifact_types</c>); unknown ids are skipped.</summary>
    /// <param name="ids">The ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Each artifact found with its type, by artifact id.</returns>
    Task<IReadOnlyList<ArtifactWithType>> GetArtifactsWithTypesByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Lists one page of artifacts.</summary>
    /// <param name="options">Paging, ordering and filter; <see langword="null"/> for <see cref="NodeListOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page and the token of the next one.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument for a bad page size, token or filter.</exception>
    Task<NodePage<Artifact>> ListArtifactsAsync(NodeListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Lists one page of executions.</summary>
    /// <param name="options">Paging, ordering and filter; <see langword="null"/> for <see cref="NodeListOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page and the token of the next one.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument for a bad page size, token or filter.</exception>
    Task<NodePage<Execution>> ListExecutionsAsync(NodeListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Lists one page of contexts.</summary>
    /// <param name="options">Paging, ordering and filter; <see langword="null"/> for <see cref="NodeListOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page and the token of the next one.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument for a bad page size, token or filter.</exception>
    Task<NodePage<Context>> ListContextsAsync(NodeListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Lists one page of the artifacts of a type; an unknown type gives an empty page.</summary>
    /// <param name="typeName">The type's name.</param>
    /// <param name="typeVersion">The type's version; <see langword="null"/> for the unversioned type.</param>
    /// <param name="options">Paging, ordering and filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page and the token of the next one.</returns>
    Task<NodePage<Artifact>> ListArtifactsByTypeAsync(string typeName, string? typeVersion = null, NodeListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Lists one page of the executions of a type; an unknown type gives an empty page.</summary>
    /// <param name="typeName">The type's name.</param>
    /// <param name="typeVersion">The type's version; <see langword="null"/> for the unversioned type.</param>
    /// <param name="options">Paging, ordering and filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page and the token of the next one.</returns>
    Task<NodePage<Execution>> ListExecutionsByTypeAsync(string typeName, string? typeVersion = null, NodeListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Lists one page of the contexts of a type; an unknown type gives an empty page.</summary>
    /// <param name="typeName">The type's name.</param>
    /// <param name="typeVersion">The type's version; <see langword="null"/> for the unversioned type.</param>
    /// <param name="options">Paging, ordering and filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page and the token of the next one.</returns>
    Task<NodePage<Context>> ListContextsByTypeAsync(string typeName, string? typeVersion = null, NodeListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Reads the artifact of a type with a name.</summary>
    /// <param name="typeName">The type's name.</param>
    /// <param name="typeVersion">The type's version; <see langword="null"/> for the unversioned type.</param>
    /// <param name="name">The artifact's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The artifact, or <see langword="null"/> when the type or the artifact does not exist.</returns>
    Task<Artifact?> GetArtifactByTypeAndNameAsync(string typeName, string? typeVersion, string name, CancellationToken cancellationToken = default);

    /// <summary>Reads the artifact of an unversioned type with a name.</summary>
    /// <param name="typeName">The type's name.</param>
    /// <param name="name">The artifact's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The artifact, or <see langword="null"/> when the type or the artifact does not exist.</returns>
    Task<Artifact?> GetArtifactByTypeAndNameAsync(string typeName, string name, CancellationToken cancellationToken = default);

    /// <summary>Reads the execution of a type with a name.</summary>
    /// <param name="typeName">The type's name.</param>
    /// <param name="typeVersion">The type's version; <see langword="null"/> for the unversioned type.</param>
    /// <param name="name">The execution's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The execution, or <see langword="null"/> when the type or the execution does not exist.</returns>
    Task<Execution?> GetExecutionByTypeAndNameAsync(string typeName, string? typeVersion, string name, CancellationToken cancellationToken = default);

    /// <summary>Reads the execution of an unversioned type with a name.</summary>
    /// <param name="typeName">The type's name.</param>
    /// <param name="name">The execution's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The execution, or <see langword="null"/> when the type or the execution does not exist.</returns>
    Task<Execution?> GetExecutionByTypeAndNameAsync(string typeName, string name, CancellationToken cancellationToken = default);

    /// <summary>Reads the context of a type with a name.</summary>
    /// <param name="typeName">The type's name.</param>
    /// <param name="typeVersion">The type's version; <see langword="null"/> for the unversioned type.</param>
    /// <param name="name">The context's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The context, or <see langword="null"/> when the type or the context does not exist.</returns>
    Task<Context?> GetContextByTypeAndNameAsync(string typeName, string? typeVersion, string name, CancellationToken cancellationToken = default);

    /// <summary>Reads the context of an unversioned type with a name.</summary>
    /// <param name="typeName">The type's name.</param>
    /// <param name="name">The context's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The context, or <see langword="null"/> when the type or the context does not exist.</returns>
    Task<Context?> GetContextByTypeAndNameAsync(string typeName, string name, CancellationToken cancellationToken = default);

    /// <summary>Reads the artifacts stored at any of the given URIs.</summary>
    /// <param name="uris">The URIs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The artifacts, by id; empty when none matches.</returns>
    Task<IReadOnlyList<Artifact>> GetArtifactsByUriAsync(IReadOnlyCollection<string> uris, CancellationToken cancellationToken = default);

    /// <summary>Reads artifacts by external id.</summary>
    /// <param name="externalIds">The external ids; none may be empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The artifacts found; empty when none matches.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument for an empty external id.</exception>
    Task<IReadOnlyList<Artifact>> GetArtifactsByExternalIdAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default);

    /// <summary>Reads executions by external id.</summary>
    /// <param name="externalIds">The external ids; none may be empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The executions found; empty when none matches.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument for an empty external id.</exception>
    Task<IReadOnlyList<Execution>> GetExecutionsByExternalIdAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default);

    /// <summary>Reads contexts by external id.</summary>
    /// <param name="externalIds">The external ids; none may be empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The contexts found; empty when none matches.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument for an empty external id.</exception>
    Task<IReadOnlyList<Context>> GetContextsByExternalIdAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default);

    /// <summary>Lists one page of the artifacts attributed to a context (directly, not through child contexts).</summary>
    /// <param name="contextId">The context's id.</param>
    /// <param name="options">Paging, ordering and filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page; empty when there are none.</returns>
    Task<NodePage<Artifact>> ListArtifactsByContextAsync(long contextId, NodeListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Lists one page of the executions associated with a context (directly, not through child contexts).</summary>
    /// <param name="contextId">The context's id.</param>
    /// <param name="options">Paging, ordering and filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page; empty when there are none.</returns>
    Task<NodePage<Execution>> ListExecutionsByContextAsync(long contextId, NodeListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Reads the contexts an artifact is attributed to.</summary>
    /// <param name="artifactId">The artifact's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The contexts, by id; empty when there are none.</returns>
    Task<IReadOnlyList<Context>> GetContextsByArtifactAsync(long artifactId, CancellationToken cancellationToken = default);

    /// <summary>Reads the contexts an execution is associated with.</summary>
    /// <param name="executionId">The execution's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The contexts, by id; empty when there are none.</returns>
    Task<IReadOnlyList<Context>> GetContextsByExecutionAsync(long executionId, CancellationToken cancellationToken = default);

    /// <summary>Reads a context's direct parents.</summary>
    /// <param name="contextId">The context's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The parents, by id.</returns>
    Task<IReadOnlyList<Context>> GetParentContextsAsync(long contextId, CancellationToken cancellationToken = default);

    /// <summary>Reads a context's direct children.</summary>
    /// <param name="contextId">The context's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The children, by id.</returns>
    Task<IReadOnlyList<Context>> GetChildContextsAsync(long contextId, CancellationToken cancellationToken = default);

    /// <summary>Reads the direct parents of several contexts at once.</summary>
    /// <param name="contextIds">The contexts' ids; none gives an empty result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>For each given context that has parents, its parents by id.</returns>
    Task<IReadOnlyDictionary<long, IReadOnlyList<Context>>> GetParentContextsByContextsAsync(IReadOnlyCollection<long> contextIds, CancellationToken cancellationToken = default);

    /// <summary>Reads the direct children of several contexts at once.</summary>
    /// <param name="contextIds">The contexts' ids; none gives an empty result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>For each given context that has children, its children by id.</returns>
    Task<IReadOnlyDictionary<long, IReadOnlyList<Context>>> GetChildContextsByContextsAsync(IReadOnlyCollection<long> contextIds, CancellationToken cancellationToken = default);

    // ---- Edges ----

    /// <summary>Records events, all or nothing.</summary>
    /// <param name="events">The events; each names a stored artifact and execution and has a type.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the events are stored.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument for a missing or unknown artifact or execution or a missing type;
    /// AlreadyExists for a second event of the same artifact, execution and type.</exception>
    Task PutEventsAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken = default);

    /// <summary>Reads the events of executions.</summary>
    /// <param name="executionIds">The executions' ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The events, in the order they were stored; empty when there are none.</returns>
    Task<IReadOnlyList<Event>> GetEventsByExecutionIdsAsync(IReadOnlyCollection<long> executionIds, CancellationToken cancellationToken = default);

    /// <summary>Reads the events of artifacts.</summary>
    /// <param name="artifactIds">The artifacts' ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The events, in the order they were stored; empty when there are none.</returns>
    Task<IReadOnlyList<Event>> GetEventsByArtifactIdsAsync(IReadOnlyCollection<long> artifactIds, CancellationToken cancellationToken = default);

    /// <summary>Records attributions and associations; pairs already stored are left as they are.</summary>
    /// <param name="attributions">Artifact-in-context edges.</param>
    /// <param name="associations">Execution-in-context edges.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the edges are stored.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when a referenced node does not exist.</exception>
    Task PutAttributionsAndAssociationsAsync(IReadOnlyList<Attribution> attributions, IReadOnlyList<Association> associations, CancellationToken cancellationToken = default);

    /// <summary>Records parent links between contexts, all or nothing.</summary>
    /// <param name="parentContexts">The links.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the links are stored.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument for an unknown context or a link that would form a cycle;
    /// AlreadyExists for a link already stored.</exception>
    Task PutParentContextsAsync(IReadOnlyList<ParentContext> parentContexts, CancellationToken cancellationToken = default);

    // ---- Atomic publish ----

    /// <summary>
    /// Publishes an execution with its artifacts, events and contexts in one transaction (MLMD's <c>PutExecution</c>):
    /// artifacts are upserted, then the execution, then the events, then the contexts, and every context is
    /// associated with the execution and attributed to every artifact.
    /// </summary>
    /// <param name="execution">The execution to insert or update.</param>
    /// <param name="artifactEventPairs">Artifacts with the events that link them to the execution.</param>
    /// <param name="contexts">Contexts to insert, update or reuse.</param>
    /// <param name="options">Reuse options; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ids written.</returns>
    /// <exception cref="MetadataStoreException">Any error of the underlying puts; Aborted when a reused context was created concurrently (retry).</exception>
    Task<PutExecutionResult> PutExecutionAsync(Execution execution, IReadOnlyList<ArtifactAndEvent> artifactEventPairs, IReadOnlyList<Context> contexts, PutExecutionOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes several executions, artifacts and contexts with the events between them in one transaction
    /// (MLMD's <c>PutLineageSubgraph</c>). Every context is associated with every execution and attributed to every artifact.
    /// </summary>
    /// <param name="executions">Executions to insert or update.</param>
    /// <param name="artifacts">Artifacts to insert or update.</param>
    /// <param name="contexts">Contexts to insert, update or reuse.</param>
    /// <param name="eventEdges">Events, each naming its execution and artifact by index or id.</param>
    /// <param name="options">Reuse options; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ids written.</returns>
    /// <exception cref="MetadataStoreException">OutOfRange for an index outside the request; InvalidArgument for an edge without ids; any error of the underlying puts.</exception>
    Task<PutLineageSubgraphResult> PutLineageSubgraphAsync(IReadOnlyList<Execution> executions, IReadOnlyList<Artifact> artifacts, IReadOnlyList<Context> contexts, IReadOnlyList<EventEdge> eventEdges, PutLineageSubgraphOptions? options = null, CancellationToken cancellationToken = default);
}
