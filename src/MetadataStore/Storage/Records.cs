namespace MetadataStore.Storage;

/// <summary>The three node tables.</summary>
internal enum NodeKind
{
    Artifact,
    Execution,
    Context,
}

/// <summary>A row of <c>Type</c> with its <c>TypeProperty</c> rows and its base type (a <c>ParentType</c> row).</summary>
internal sealed class TypeRecord
{
    public long Id { get; set; }

    public TypeKind Kind { get; set; }

    public required string Name { get; set; }

    /// <summary>Never empty: an empty version is stored as NULL.</summary>
    public string? Version { get; set; }

    public string? Description { get; set; }

    public string? ExternalId { get; set; }

    public string? InputType { get; set; }

    public string? OutputType { get; set; }

    public Dictionary<string, PropertyKind> Properties { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The name of the system type this type derives from (such as <c>mlmd.Dataset</c>), or null.</summary>
    public string? BaseTypeName { get; set; }
}

/// <summary>A row of <c>Artifact</c>, <c>Execution</c> or <c>Context</c>.</summary>
internal sealed class NodeRecord
{
    /// <summary>
    /// Reads a node row whose columns are, in order: id, type_id, type name, name, external_id, uri, state,
    /// create time, last update time.
    /// </summary>
    public static NodeRecord FromRow(System.Data.Common.DbDataReader row) => new()
    {
        Id = row.GetInt64(0),
        TypeId = row.GetInt64(1),
        TypeName = row.IsDBNull(2) ? null : row.GetString(2),
        Name = row.IsDBNull(3) ? null : row.GetString(3),
        ExternalId = row.IsDBNull(4) ? null : row.GetString(4),
        Uri = row.IsDBNull(5) ? null : row.GetString(5),
        State = row.IsDBNull(6) ? null : row.GetInt32(6),
        CreateTime = row.GetInt64(7),
        LastUpdateTime = row.GetInt64(8),
    };

    public long Id { get; set; }

    public long TypeId { get; set; }

    /// <summary>The type's name, joined on read; ignored on write.</summary>
    public string? TypeName { get; set; }

    public string? Name { get; set; }

    public string? ExternalId { get; set; }

    /// <summary>Artifacts only; MLMD stores an unset URI as the empty string.</summary>
    public string? Uri { get; set; }

    /// <summary>Artifact <c>state</c> or execution <c>last_known_state</c>; unused for contexts.</summary>
    public int? State { get; set; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long CreateTime { get; set; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long LastUpdateTime { get; set; }

    public NodeRecord Copy() => (NodeRecord)MemberwiseClone();
}

/// <summary>A row of <c>ArtifactProperty</c>, <c>ExecutionProperty</c> or <c>ContextProperty</c>.</summary>
internal sealed record PropertyRecord(long NodeId, string Name, bool IsCustom, PropertyValue Value);

/// <summary>A row of <c>Event</c> with its <c>EventPath</c> rows in order.</summary>
internal sealed class EventRecord
{
    public long Id { get; set; }

    public long ArtifactId { get; set; }

    public long ExecutionId { get; set; }

    public int Type { get; set; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long? Time { get; set; }

    public IReadOnlyList<EventStep> Path { get; set; } = [];
}

/// <summary>Which types to read.</summary>
internal abstract record TypeQuery
{
    /// <summary>Every type of the kind except MLMD's system types, by id.</summary>
    public sealed record All : TypeQuery;

    public sealed record ByIds(IReadOnlyCollection<long> Ids) : TypeQuery;

    public sealed record ByExternalIds(IReadOnlyCollection<string> ExternalIds) : TypeQuery;

    /// <summary>Version null matches only rows whose version is NULL.</summary>
    public sealed record ByName(string Name, string? Version) : TypeQuery;
}

/// <summary>Which nodes to read; results come back ordered by id.</summary>
internal abstract record NodeQuery
{
    public sealed record ByIds(IReadOnlyCollection<long> Ids) : NodeQuery;

    public sealed record ByExternalIds(IReadOnlyCollection<string> ExternalIds) : NodeQuery;

    /// <summary>Artifacts only.</summary>
    public sealed record ByUris(IReadOnlyCollection<string> Uris) : NodeQuery;

    public sealed record ByTypeAndName(long TypeId, string Name) : NodeQuery;
}

/// <summary>The keyset position after the last row of a page: its order-by value and its id.</summary>
internal readonly record struct PageCursor(long Value, long Id);

/// <summary>One page of a node listing, in the storage's terms.</summary>
internal sealed record NodeListQuery
{
    public required NodeKind Kind { get; init; }

    /// <summary>Only nodes of this type.</summary>
    public long? TypeId { get; init; }

    /// <summary>Only nodes attributed (artifacts) or associated (executions) with this context.</summary>
    public long? ContextId { get; init; }

    public NodeOrder OrderBy { get; init; }

    public bool Descending { get; init; }

    /// <summary>The largest number of rows to return (the page size plus one, to see whether more follow).</summary>
    public required int Limit { get; init; }

    /// <summary>Start after this position; null for the first page.</summary>
    public PageCursor? After { get; init; }

    /// <summary>Only nodes matching this filter (resolved for <see cref="Kind"/>); null for all.</summary>
    public Query.FilterQuery? Filter { get; init; }
}
