using System.Diagnostics.CodeAnalysis;
using MetadataStore.Query;

namespace MetadataStore.Storage;

/// <summary>A row of <c>Type</c> with its <c>TypeProperty</c> rows and its base type (a <c>ParentType</c> row).</summary>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public sealed record TypeRecord
{
    /// <summary>The row id; ignored on insert.</summary>
    public long Id { get; init; }

    /// <summary>The <c>type_kind</c> column.</summary>
    public TypeKind Kind { get; init; }

    /// <summary>The type's name.</summary>
    public required string Name { get; init; }

    /// <summary>The version; never empty: an empty version is stored as NULL.</summary>
    public string? Version { get; init; }

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>The external id.</summary>
    public string? ExternalId { get; init; }

    /// <summary>An execution type's input type signature.</summary>
    public string? InputType { get; init; }

    /// <summary>An execution type's output type signature.</summary>
    public string? OutputType { get; init; }

    /// <summary>The declared properties and their kinds (<c>TypeProperty.data_type</c>).</summary>
    public IReadOnlyDictionary<string, PropertyKind> Properties { get; init; } = new Dictionary<string, PropertyKind>(StringComparer.Ordinal);

    /// <summary>The name of the system type this type derives from (such as <c>mlmd.Dataset</c>), or null.</summary>
    public string? BaseTypeName { get; init; }
}

/// <summary>A row of <c>Artifact</c>, <c>Execution</c> or <c>Context</c>.</summary>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public sealed record NodeRecord
{
    /// <summary>The row id; ignored on insert.</summary>
    public long Id { get; init; }

    /// <summary>The <c>type_id</c> column.</summary>
    public long TypeId { get; init; }

    /// <summary>The type's name, joined on read; ignored on write.</summary>
    public string? TypeName { get; init; }

    /// <summary>The name.</summary>
    public string? Name { get; init; }

    /// <summary>The external id.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Artifacts only; MLMD stores an unset URI as the empty string.</summary>
    public string? Uri { get; init; }

    /// <summary>Artifact <c>state</c> or execution <c>last_known_state</c>; unused for contexts.</summary>
    public int? State { get; init; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long CreateTime { get; init; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long LastUpdateTime { get; init; }
}

/// <summary>A row of <c>ArtifactProperty</c>, <c>ExecutionProperty</c> or <c>ContextProperty</c>.</summary>
/// <param name="NodeId">The owner's id.</param>
/// <param name="Name">The property's name.</param>
/// <param name="IsCustom">The <c>is_custom_property</c> column.</param>
/// <param name="Value">The value columns. On insert the first non-NULL column is written; on update all five are.</param>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public sealed record PropertyRecord(long NodeId, string Name, bool IsCustom, StoredValue Value);

/// <summary>A row of <c>Event</c> with its <c>EventPath</c> rows in order.</summary>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public sealed record EventRecord
{
    /// <summary>The row id; ignored on insert.</summary>
    public long Id { get; init; }

    /// <summary>The artifact's id.</summary>
    public long ArtifactId { get; init; }

    /// <summary>The execution's id.</summary>
    public long ExecutionId { get; init; }

    /// <summary>The <c>type</c> column (an <see cref="EventType"/> value).</summary>
    public int Type { get; init; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long? Time { get; init; }

    /// <summary>The path's steps in order.</summary>
    public IReadOnlyList<EventStep> Path { get; init; } = [];
}

/// <summary>Which types to read.</summary>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public abstract record TypeQuery
{
    private protected TypeQuery()
    {
    }

    /// <summary>Every type of the kind (MLMD's system types included), by id.</summary>
    public sealed record All : TypeQuery;

    /// <summary>The types with these ids, by id.</summary>
    /// <param name="Ids">The ids.</param>
    public sealed record ByIds(IReadOnlyCollection<long> Ids) : TypeQuery;

    /// <summary>The types with these external ids, by id.</summary>
    /// <param name="ExternalIds">The external ids.</param>
    public sealed record ByExternalIds(IReadOnlyCollection<string> ExternalIds) : TypeQuery;

    /// <summary>The types of a name and version; version null matches only rows whose version is NULL.</summary>
    /// <param name="Name">The name.</param>
    /// <param name="Version">The version, or null.</param>
    public sealed record ByName(string Name, string? Version) : TypeQuery;
}

/// <summary>Which nodes to read; results come back ordered by id.</summary>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public abstract record NodeQuery
{
    private protected NodeQuery()
    {
    }

    /// <summary>The nodes with these ids.</summary>
    /// <param name="Ids">The ids.</param>
    public sealed record ByIds(IReadOnlyCollection<long> Ids) : NodeQuery;

    /// <summary>The nodes with these external ids.</summary>
    /// <param name="ExternalIds">The external ids.</param>
    public sealed record ByExternalIds(IReadOnlyCollection<string> ExternalIds) : NodeQuery;

    /// <summary>The artifacts with these URIs; artifacts only.</summary>
    /// <param name="Uris">The URIs.</param>
    public sealed record ByUris(IReadOnlyCollection<string> Uris) : NodeQuery;

    /// <summary>The node of a type with a name.</summary>
    /// <param name="TypeId">The type's id.</param>
    /// <param name="Name">The name.</param>
    public sealed record ByTypeAndName(long TypeId, string Name) : NodeQuery;
}

/// <summary>
/// A read started before its result is needed (see <see cref="IStorageTransaction.StartGetExistingIdsAsync"/>): a
/// backend may send it with its next statement and complete it then, or read at once.
/// </summary>
/// <typeparam name="T">The result's type.</typeparam>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public sealed class StorageRead<T>
{
    private readonly Func<CancellationToken, ValueTask>? _send;
    private T? _value;
    private bool _done;

    /// <summary>A read already done.</summary>
    /// <param name="value">Its result.</param>
    public StorageRead(T value)
    {
        _value = value;
        _done = true;
    }

    /// <summary>A read the backend completes with <see cref="SetResult"/> when it sends the read's statement.</summary>
    /// <param name="send">Sends what the backend still holds, so that the read completes; called when the result is asked for first.</param>
    public StorageRead(Func<CancellationToken, ValueTask> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        _send = send;
    }

    /// <summary>Whether the result is there.</summary>
    public bool IsCompleted => _done;

    /// <summary>Completes the read.</summary>
    /// <param name="value">Its result.</param>
    public void SetResult(T value)
    {
        _value = value;
        _done = true;
    }

    /// <summary>The result, sending the read first when the backend still holds it.</summary>
    /// <param name="cancellationToken">Cancels sending.</param>
    /// <returns>The result.</returns>
    public async ValueTask<T> GetAsync(CancellationToken cancellationToken)
    {
        if (!_done)
        {
            await _send!(cancellationToken).ConfigureAwait(false);
            if (!_done)
            {
                throw new InvalidOperationException("The storage backend sent a read without completing it.");
            }
        }

        return _value!;
    }
}

/// <summary>
/// Receives property rows as a backend reads them, one call per row, so that a read of many nodes keeps no record per
/// row: the store decodes each value as it arrives.
/// </summary>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public interface IPropertyRowSink
{
    /// <summary>Takes one property row; the store may throw to stop the read (a value it cannot decode).</summary>
    /// <param name="nodeId">The owner's id.</param>
    /// <param name="name">The property's name.</param>
    /// <param name="isCustom">The <c>is_custom_property</c> column.</param>
    /// <param name="value">The value columns.</param>
    void Add(long nodeId, string name, bool isCustom, in StoredValue value);
}

/// <summary>The keyset position after the last row of a page: its order-by value and its id.</summary>
/// <param name="Value">The order-by value (a time in milliseconds; unused when ordered by id).</param>
/// <param name="Id">The node's id.</param>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public readonly record struct PageCursor(long Value, long Id);

/// <summary>One page of a node listing, in the storage's terms.</summary>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public sealed record NodeListQuery
{
    /// <summary>The kind of the nodes listed.</summary>
    public required NodeKind Kind { get; init; }

    /// <summary>Only nodes of this type.</summary>
    public long? TypeId { get; init; }

    /// <summary>Only nodes attributed (artifacts) or associated (executions) with this context.</summary>
    public long? ContextId { get; init; }

    /// <summary>The order; ties are broken by id in the same direction.</summary>
    public NodeOrder OrderBy { get; init; }

    /// <summary>Whether the order is descending.</summary>
    public bool Descending { get; init; }

    /// <summary>The largest number of rows to return (the page size plus one, to see whether more follow).</summary>
    public required int Limit { get; init; }

    /// <summary>Start after this position; null for the first page.</summary>
    public PageCursor? After { get; init; }

    /// <summary>Only nodes matching this filter (compiled for <see cref="Kind"/>); null for all.</summary>
    public FilterQuery? Filter { get; init; }
}
