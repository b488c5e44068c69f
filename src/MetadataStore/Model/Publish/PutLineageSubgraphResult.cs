namespace MetadataStore;

/// <summary>The ids <see cref="IMetadataStore.PutLineageSubgraphAsync"/> wrote, each list in request order.</summary>
/// <param name="ExecutionIds">The executions' ids.</param>
/// <param name="ArtifactIds">The artifacts' ids.</param>
/// <param name="ContextIds">The contexts' ids.</param>
public sealed record PutLineageSubgraphResult(IReadOnlyList<long> ExecutionIds, IReadOnlyList<long> ArtifactIds, IReadOnlyList<long> ContextIds);
