using System.Text;

namespace MetadataStore;

/// <summary>The ids <see cref="IMetadataStore.PutTypesAsync"/> wrote, each list in request order.</summary>
/// <param name="ArtifactTypeIds">The artifact types' ids.</param>
/// <param name="ExecutionTypeIds">The execution types' ids.</param>
/// <param name="ContextTypeIds">The context types' ids.</param>
public sealed record PutTypesResult(IReadOnlyList<long> ArtifactTypeIds, IReadOnlyList<long> ExecutionTypeIds, IReadOnlyList<long> ContextTypeIds)
{
    /// <inheritdoc />
    public bool Equals(PutTypesResult? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && ContentEquality.ListEquals(ArtifactTypeIds, other.ArtifactTypeIds)
            && ContentEquality.ListEquals(ExecutionTypeIds, other.ExecutionTypeIds)
            && ContentEquality.ListEquals(ContextTypeIds, other.ContextTypeIds));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ContentEquality.ListHash(ArtifactTypeIds), ContentEquality.ListHash(ExecutionTypeIds), ContentEquality.ListHash(ContextTypeIds));

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ArtifactTypeIds = ");
        ContentEquality.PrintList(builder, ArtifactTypeIds);
        builder.Append(", ");
        builder.Append("ExecutionTypeIds = ");
        ContentEquality.PrintList(builder, ExecutionTypeIds);
        builder.Append(", ");
        builder.Append("ContextTypeIds = ");
        ContentEquality.PrintList(builder, ContextTypeIds);
        return true;
    }
}
