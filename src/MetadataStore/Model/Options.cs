namespace MetadataStore;

/// <summary>How a put may change a type that already exists under the same kind, name and version.</summary>
public sealed record PutTypeOptions
{
    /// <summary>The default: the stored and given property sets must match exactly.</summary>
    public static PutTypeOptions Default { get; } = new();

    /// <summary>Allow properties the stored type lacks; they are added.</summary>
    public bool CanAddFields { get; init; }

    /// <summary>Allow leaving out properties the stored type has; they stay stored.</summary>
    public bool CanOmitFields { get; init; }
}

/// <summary>How a put of artifacts, executions or contexts updates the nodes that carry an id.</summary>
public sealed record PutNodesOptions
{
    /// <summary>The default: full replace of every updated node.</summary>
    public static PutNodesOptions Default { get; } = new();

    /// <summary>
    /// The fields an update writes, MLMD's field mask: <c>uri</c>, <c>state</c>, <c>external_id</c>,
    /// <c>last_known_state</c>, <c>name</c> (contexts), <c>properties</c>, <c>custom_properties</c>,
    /// <c>properties.NAME</c>, <c>custom_properties.NAME</c>. Empty means full replace. Unknown paths are ignored.
    /// Inserts ignore the mask.
    /// </summary>
    public IReadOnlyList<string> FieldMask { get; init; } = [];

    /// <summary>
    /// Refuse (FailedPrecondition) to update a node whose stored last update time differs from the one the
    /// caller read, so a concurrent change is never overwritten.
    /// </summary>
    public bool AbortIfLastUpdateTimeChanged { get; init; }
}

/// <summary>Options of <see cref="IMetadataStore.PutExecutionAsync"/>.</summary>
public sealed record PutExecutionOptions
{
    /// <summary>The default: every context without an id is inserted.</summary>
    public static PutExecutionOptions Default { get; } = new();

    /// <summary>Reuse a context without an id when one of the same type and name exists.</summary>
    public bool ReuseContextIfAlreadyExists { get; init; }

    /// <summary>Treat an artifact without an id whose external id is stored as an update of the stored artifact.</summary>
    public bool ReuseArtifactIfAlreadyExistsByExternalId { get; init; }

    /// <summary>For contexts with an id, only check that they exist; never update them.</summary>
    public bool ForceReuseContext { get; init; }

    /// <summary>Bump the execution's last update time even when nothing about it changed.</summary>
    public bool ForceUpdateTime { get; init; }
}

/// <summary>Options of <see cref="IMetadataStore.PutLineageSubgraphAsync"/>.</summary>
public sealed record PutLineageSubgraphOptions
{
    /// <summary>The default: every context without an id is inserted.</summary>
    public static PutLineageSubgraphOptions Default { get; } = new();

    /// <summary>Reuse a context without an id when one of the same type and name exists.</summary>
    public bool ReuseContextIfAlreadyExists { get; init; }

    /// <summary>Treat an artifact without an id whose external id is stored as an update of the stored artifact.</summary>
    public bool ReuseArtifactIfAlreadyExistsByExternalId { get; init; }
}

/// <summary>Paging, ordering and filtering of a listing.</summary>
public sealed record ListOptions
{
    /// <summary>The largest page a listing returns.</summary>
    public const int MaxPageSize = 10_000;

    /// <summary>The page size used when none is given.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>The default: the first page of <see cref="DefaultPageSize"/> nodes by ascending id.</summary>
    public static ListOptions Default { get; } = new();

    /// <summary>How many nodes a page holds at most, from 1 to <see cref="MaxPageSize"/>.</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>The field to order by; the id breaks ties.</summary>
    public OrderBy OrderBy { get; init; } = OrderBy.Id;

    /// <summary>Order from the largest value down.</summary>
    public bool Descending { get; init; }

    /// <summary>The token a previous page returned, to read the page after it; the ordering must be the same.</summary>
    public string? PageToken { get; init; }

    /// <summary>An MLMD filter query the nodes must match, such as <c>type = 'Model' AND properties.accuracy.double_value &gt; 0.9</c>.</summary>
    public string? Filter { get; init; }
}

/// <summary>One page of a listing.</summary>
/// <typeparam name="T">The kind of item listed.</typeparam>
/// <param name="Items">The items on this page, in order.</param>
/// <param name="NextPageToken">The token that reads the next page; <see langword="null"/> when there are no more rows.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken)
{
    /// <summary>Whether more rows follow this page.</summary>
    public bool HasMore => NextPageToken is not null;
}
