using System.Text;

namespace MetadataStore;

/// <summary>The ids <see cref="IMetadataStore.PutExecutionAsync"/> wrote.</summary>
/// <param name="ExecutionId">The execution's id.</param>
/// <param name="ArtifactIds">One id per artifact/event pair, in order; <see langword="null"/> for a pair with neither artifact nor event artifact id.</param>
/// <param name="ContextIds">One id per context, in order.</param>
public sealed record PutExecutionResult(long ExecutionId, IReadOnlyList<long?> ArtifactIds, IReadOnlyList<long> ContextIds)
{
    /// <inheritdoc />
    public bool Equals(PutExecutionResult? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && EqualityComparer<long>.Default.Equals(ExecutionId, other.ExecutionId)
            && ContentEquality.ListEquals(ArtifactIds, other.ArtifactIds)
            && ContentEquality.ListEquals(ContextIds, other.ContextIds));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ExecutionId, ContentEquality.ListHash(ArtifactIds), ContentEquality.ListHash(ContextIds));

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ExecutionId = ").Append(ExecutionId);
        builder.Append(", ");
        builder.Append("ArtifactIds = ");
        ContentEquality.PrintList(builder, ArtifactIds);
        builder.Append(", ");
        builder.Append("ContextIds = ");
        ContentEquality.PrintList(builder, ContextIds);
        return true;
    }
}
