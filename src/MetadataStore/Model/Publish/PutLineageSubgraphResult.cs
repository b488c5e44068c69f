using System.Text;

namespace MetadataStore;

/// <summary>The ids <see cref="IMetadataStore.PutLineageSubgraphAsync"/> wrote, each list in request order.</summary>
/// <param name="ExecutionIds">The executions' ids.</param>
/// <param name="ArtifactIds">The artifacts' ids.</param>
/// <param name="ContextIds">The contexts' ids.</param>
public sealed record PutLineageSubgraphResult(IReadOnlyList<long> ExecutionIds, IReadOnlyList<long> ArtifactIds, IReadOnlyList<long> ContextIds)
{
    /// <inheritdoc />
    public bool Equals(PutLineageSubgraphResult? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && ContentEquality.ListEquals(ExecutionIds, other.ExecutionIds)
            && ContentEquality.ListEquals(ArtifactIds, other.ArtifactIds)
            && ContentEquality.ListEquals(ContextIds, other.ContextIds));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ContentEquality.ListHash(ExecutionIds), ContentEquality.ListHash(ArtifactIds), ContentEquality.ListHash(ContextIds));

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ExecutionIds = ");
        ContentEquality.PrintList(builder, ExecutionIds);
        builder.Append(", ");
        builder.Append("ArtifactIds = ");
        ContentEquality.PrintList(builder, ArtifactIds);
        builder.Append(", ");
        builder.Append("ContextIds = ");
        ContentEquality.PrintList(builder, ContextIds);
        return true;
    }
}
