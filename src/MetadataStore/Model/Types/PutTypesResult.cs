namespace MetadataStore;

/// <summary>The ids <see cref="IMetadataStore.PutTypesAsync"/> wrote, each list in request order.</summary>
/// <param name="ArtifactTypeIds">The artifact types' ids.</param>
/// <param name="ExecutionTypeIds">The execution types' ids.</param>
/// <param name="ContextTypeIds">The context types' ids.</param>
public sealed record PutTypesResult(IReadOnlyList<long> ArtifactTypeIds, IReadOnlyList<long> ExecutionTypeIds, IReadOnlyList<long> ContextTypeIds);
