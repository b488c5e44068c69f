namespace MetadataStore;

/// <summary>Paging, ordering and filtering of a listing.</summary>
public sealed record NodeListOptions
{
    /// <summary>The largest page a listing returns.</summary>
    public static int MaxPageSize { get; } = 10_000;

    /// <summary>The page size used when none is given.</summary>
    public static int DefaultPageSize { get; } = 100;

    /// <summary>The default: the first page of <see cref="DefaultPageSize"/> nodes by ascending id.</summary>
    public static NodeListOptions Default { get; } = new();

    /// <summary>How many nodes a page holds at most, from 1 to <see cref="MaxPageSize"/>.</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>The field to order by; the id breaks ties.</summary>
    public NodeOrder OrderBy { get; init; } = NodeOrder.Id;

    /// <summary>Order from the largest value down.</summary>
    public bool Descending { get; init; }

    /// <summary>The token a previous page returned, to read the page after it; the ordering must be the same.</summary>
    public string? PageToken { get; init; }

    /// <summary>An MLMD filter query the nodes must match, such as <c>type = 'Model' AND properties.accuracy.double_value &gt; 0.9</c>.</summary>
    public string? Filter { get; init; }
}
