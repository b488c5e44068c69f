using System.Text;

namespace MetadataStore;

/// <summary>One page of a listing.</summary>
/// <typeparam name="T">The kind of item listed.</typeparam>
/// <param name="Items">The items on this page, in order.</param>
/// <param name="NextPageToken">The token that reads the next page; <see langword="null"/> when there are no more rows.</param>
public sealed record NodePage<T>(IReadOnlyList<T> Items, string? NextPageToken)
{
    /// <summary>Whether more rows follow this page.</summary>
    public bool HasMore => NextPageToken is not null;

    /// <inheritdoc />
    public bool Equals(NodePage<T>? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && ContentEquality.ListEquals(Items, other.Items)
            && EqualityComparer<string?>.Default.Equals(NextPageToken, other.NextPageToken));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ContentEquality.ListHash(Items), NextPageToken);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Items = ");
        ContentEquality.PrintList(builder, Items);
        builder.Append(", ");
        builder.Append("NextPageToken = ").Append(NextPageToken);
        return true;
    }
}
