using System.Text;

namespace MetadataStore;

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

    /// <inheritdoc />
    public bool Equals(PutNodesOptions? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && ContentEquality.ListEquals(FieldMask, other.FieldMask)
            && EqualityComparer<bool>.Default.Equals(AbortIfLastUpdateTimeChanged, other.AbortIfLastUpdateTimeChanged));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ContentEquality.ListHash(FieldMask), AbortIfLastUpdateTimeChanged);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("FieldMask = ");
        ContentEquality.PrintList(builder, FieldMask);
        builder.Append(", ");
        builder.Append("AbortIfLastUpdateTimeChanged = ").Append(AbortIfLastUpdateTimeChanged);
        return true;
    }
}
