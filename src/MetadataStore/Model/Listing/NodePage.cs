namespace MetadataStore;

/// <summary>One page of a listing.</summary>
/// <typeparam name="T">The kind of item listed.</typeparam>
/// <param name="Items">The items on this page, in order.</param>
/// <param name="NextPageToken">The token that reads the next page; <see langword="null"/> when there are no more rows.</param>
public sealed record NodePage<T>(IReadOnlyList<T> Items, string? NextPageToken)
{
    /// <summary>Whether more rows follow this page.</summary>
    public bool HasMore => NextPageToken is not null;
}
