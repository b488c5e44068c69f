using System.Diagnostics.CodeAnalysis;

namespace MetadataStore.Storage;

/// <summary>
/// A database that holds MLMD's tables. A backend runs units of work in transactions, retries them on transient
/// conflicts, and translates provider errors into <see cref="MetadataStoreException"/>. It never decides semantics.
/// See docs/backends.md for the isolation every backend must give.
/// </summary>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public interface IStorageBackend : IAsyncDisposable, IDisposable
{
    /// <summary>A short description of the database for logs, such as <c>SQLite mlmd.db</c>; never a password.</summary>
    string Description { get; }

    /// <summary>Creates the schema in an empty database or verifies an existing one, and upserts MLMD's system types.</summary>
    /// <param name="mode">What opening may do to the schema.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>A task that completes when the store can be used.</returns>
    ValueTask OpenAsync(SchemaMode mode, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits it; rolls back on any exception. The work may be
    /// run again from the start after a transient conflict, so it must not keep state between runs.
    /// Provider exceptions are translated: a unique-key violation is a <see cref="StorageConstraintException"/>
    /// (AlreadyExists), a conflict that outlasts the retries is Aborted, anything unclassified Internal.
    /// </summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="write">Whether the work writes; a writing unit of work is isolated from concurrent writers.</param>
    /// <param name="work">The work, given the transaction and the token.</param>
    /// <param name="cancellationToken">Cancels the work; nothing commits once it is set.</param>
    /// <returns>The work's result, after the commit.</returns>
    ValueTask<T> ExecuteAsync<T>(bool write, Func<IStorageTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken);
}

/// <summary>
/// Record-level reads and writes inside one transaction. Each method checks the token before it starts. A write that
/// returns nothing may be sent with the transaction's next statement (to save round trips to a database server);
/// every read still sees every earlier write of the transaction.
/// </summary>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public interface IStorageTransaction
{
    /// <summary>Reads type rows of one kind with their properties and base types, ordered by id.</summary>
    ValueTask<IReadOnlyList<TypeRecord>> GetTypesAsync(TypeKind kind, TypeQuery query, CancellationToken cancellationToken);

    /// <summary>Inserts the <c>Type</c> row, its properties and its base-type link; returns the new id.</summary>
    ValueTask<long> InsertTypeAsync(TypeRecord type, CancellationToken cancellationToken);

    /// <summary>Writes the external id, adds the given properties and, when <paramref name="addBaseType"/>, the base-type link of <paramref name="type"/>.</summary>
    ValueTask UpdateTypeAsync(TypeRecord type, IReadOnlyCollection<KeyValuePair<string, PropertyKind>> addedProperties, bool addBaseType, CancellationToken cancellationToken);

    /// <summary>Inserts a node row with the given times; returns the new id.</summary>
    ValueTask<long> InsertNodeAsync(NodeKind kind, NodeRecord node, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts node rows with the given times; returns the new ids in order. A row that a unique key refuses is a
    /// <see cref="StorageConstraintException"/> whose <see cref="StorageConstraintException.Row"/> is its index.
    /// </summary>
    ValueTask<IReadOnlyList<long>> InsertNodesAsync(NodeKind kind, IReadOnlyList<NodeRecord> nodes, CancellationToken cancellationToken);

    /// <summary>Writes every attribute column of the node row with id <c>node.Id</c> (not type_id or create time).</summary>
    ValueTask UpdateNodeAsync(NodeKind kind, NodeRecord node, CancellationToken cancellationToken);

    /// <summary>Reads node rows with their type names, ordered by id.</summary>
    ValueTask<IReadOnlyList<NodeRecord>> GetNodesAsync(NodeKind kind, NodeQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Reads node rows as <see cref="GetNodesAsync"/> does, and gives the property rows of the nodes found to
    /// <paramref name="properties"/>, in no particular order. The default reads the nodes, then their properties; a
    /// backend may read both at once (in one round trip to a server).
    /// </summary>
    ValueTask<IReadOnlyList<NodeRecord>> GetNodesWithPropertiesAsync(NodeKind kind, NodeQuery query, IPropertyRowSink properties, CancellationToken cancellationToken) =>
        StorageTransactionDefaults.GetNodesWithPropertiesAsync(this, kind, query, properties, cancellationToken);

    /// <summary>Reads one page of node rows with their type names, in the query's order.</summary>
    ValueTask<IReadOnlyList<NodeRecord>> ListNodesAsync(NodeListQuery query, CancellationToken cancellationToken);

    /// <summary>Reads which of the given ids exist.</summary>
    ValueTask<IReadOnlySet<long>> GetExistingIdsAsync(NodeKind kind, IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>
    /// Starts reading which of the ids name stored nodes, for a result taken later: a backend may send the read with
    /// its next statement (saving a round trip). The default reads at once, as <see cref="GetExistingIdsAsync"/>.
    /// </summary>
    async ValueTask<StorageRead<IReadOnlySet<long>>> StartGetExistingIdsAsync(NodeKind kind, IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        new(await GetExistingIdsAsync(kind, ids, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Starts reading node rows as <see cref="GetNodesAsync"/> does, for a result taken later: a backend may send the
    /// read with its next statement. The default reads at once.
    /// </summary>
    async ValueTask<StorageRead<IReadOnlyList<NodeRecord>>> StartGetNodesAsync(NodeKind kind, NodeQuery query, CancellationToken cancellationToken) =>
        new(await GetNodesAsync(kind, query, cancellationToken).ConfigureAwait(false));

    /// <summary>Reads the property rows of the given nodes.</summary>
    ValueTask<IReadOnlyList<PropertyRecord>> GetPropertiesAsync(NodeKind kind, IReadOnlyCollection<long> nodeIds, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the property rows of the given nodes into <paramref name="properties"/>, in no particular order. The
    /// default reads them as <see cref="GetPropertiesAsync(NodeKind, IReadOnlyCollection{long}, CancellationToken)"/>
    /// does; a backend may hand over each row as it reads it.
    /// </summary>
    ValueTask GetPropertiesAsync(NodeKind kind, IReadOnlyCollection<long> nodeIds, IPropertyRowSink properties, CancellationToken cancellationToken) =>
        StorageTransactionDefaults.GetPropertiesAsync(this, kind, nodeIds, properties, cancellationToken);

    /// <summary>Inserts a property row; a stored (owner, name, is_custom_property) is AlreadyExists.</summary>
    ValueTask InsertPropertyAsync(NodeKind kind, PropertyRecord property, CancellationToken cancellationToken);

    /// <summary>Inserts property rows; a stored (owner, name, is_custom_property) is AlreadyExists.</summary>
    ValueTask InsertPropertiesAsync(NodeKind kind, IReadOnlyList<PropertyRecord> properties, CancellationToken cancellationToken);

    /// <summary>Writes all five value columns of the property row with the same owner, name and is_custom_property.</summary>
    ValueTask UpdatePropertyAsync(NodeKind kind, PropertyRecord property, CancellationToken cancellationToken);

    /// <summary>Deletes the property row with this owner, name and is_custom_property.</summary>
    ValueTask DeletePropertyAsync(NodeKind kind, long nodeId, string name, bool isCustom, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts the event and its path. A duplicate (artifact, execution, type) is AlreadyExists: a
    /// <see cref="StorageConstraintException"/> on <c>Event</c>, thrown by this call or, when the backend sends the
    /// insert with a later statement, by that later call or the commit, with <see cref="StorageConstraintException.Record"/>
    /// set to <paramref name="record"/>.
    /// </summary>
    ValueTask InsertEventAsync(EventRecord record, CancellationToken cancellationToken);

    /// <summary>Inserts events and their paths, as <see cref="InsertEventAsync"/> does one by one (the default); a refusal's record is then the list.</summary>
    ValueTask InsertEventsAsync(IReadOnlyList<EventRecord> records, CancellationToken cancellationToken) =>
        StorageTransactionDefaults.InsertEventsAsync(this, records, cancellationToken);

    /// <summary>Reads events (with paths) whose artifact id (or execution id) is among <paramref name="ids"/>, ordered by event id.</summary>
    ValueTask<IReadOnlyList<EventRecord>> GetEventsAsync(bool byArtifact, IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>Inserts the attribution unless it is stored already.</summary>
    ValueTask InsertAttributionAsync(long contextId, long artifactId, CancellationToken cancellationToken);

    /// <summary>Attributes artifacts to a context, as <see cref="InsertAttributionAsync"/> does one by one (the default).</summary>
    ValueTask InsertAttributionsAsync(long contextId, IReadOnlyList<long> artifactIds, CancellationToken cancellationToken) =>
        StorageTransactionDefaults.InsertAttributionsAsync(this, contextId, artifactIds, cancellationToken);

    /// <summary>Inserts the association unless it is stored already.</summary>
    ValueTask InsertAssociationAsync(long contextId, long executionId, CancellationToken cancellationToken);

    /// <summary>Reads the ids of the contexts an artifact is attributed to (or an execution associated with), ascending.</summary>
    ValueTask<IReadOnlyList<long>> GetContextIdsAsync(NodeKind memberKind, long memberId, CancellationToken cancellationToken);

    /// <summary>Inserts a parent link; a stored pair is AlreadyExists.</summary>
    ValueTask InsertParentContextAsync(long childId, long parentId, CancellationToken cancellationToken);

    /// <summary>Reads parent links whose child (when <paramref name="byChild"/>) or parent is among <paramref name="ids"/>.</summary>
    ValueTask<IReadOnlyList<ParentContext>> GetParentLinksAsync(IReadOnlyCollection<long> ids, bool byChild, CancellationToken cancellationToken);

    // ---- Lineage ----

    /// <summary>
    /// Runs a lineage traversal inside the database and reads what <paramref name="query"/> asks for; the number of
    /// statements grows with the hops followed, never with the nodes reached.
    /// </summary>
    ValueTask<LineageRecords> TraverseLineageAsync(LineageTraversalQuery query, CancellationToken cancellationToken);
}
