namespace MetadataStore;

/// <summary>An artifact (new, or stored when it has an id) and the event that links it to the execution, for <see cref="IMetadataStore.PutExecutionAsync"/>.</summary>
/// <param name="Artifact">The artifact, or <see langword="null"/> when the event names a stored artifact by id.</param>
/// <param name="Event">The event, or <see langword="null"/> to record only the artifact and its attribution.</param>
public sealed record ArtifactAndEvent(Artifact? Artifact, Event? Event);

/// <summary>An event between an execution and an artifact of a lineage subgraph, each given by its index in the request or by the event's ids.</summary>
/// <param name="ExecutionIndex">The execution's index in the request, or <see langword="null"/> to use <see cref="Event.ExecutionId"/>.</param>
/// <param name="ArtifactIndex">The artifact's index in the request, or <see langword="null"/> to use <see cref="Event.ArtifactId"/>.</param>
/// <param name="Event">The event.</param>
public sealed record EventEdge(int? ExecutionIndex, int? ArtifactIndex, Event Event);

/// <summary>The ids <see cref="IMetadataStore.PutExecutionAsync"/> wrote.</summary>
/// <param name="ExecutionId">The execution's id.</param>
/// <param name="ArtifactIds">One id per artifact/event pair, in order; -1 for a pair with neither artifact nor event artifact id.</param>
/// <param name="ContextIds">One id per context, in order.</param>
public sealed record PutExecutionResult(long ExecutionId, IReadOnlyList<long> ArtifactIds, IReadOnlyList<long> ContextIds);

/// <summary>The ids <see cref="IMetadataStore.PutLineageSubgraphAsync"/> wrote, each list in request order.</summary>
/// <param name="ExecutionIds">The executions' ids.</param>
/// <param name="ArtifactIds">The artifacts' ids.</param>
/// <param name="ContextIds">The contexts' ids.</param>
public sealed record PutLineageSubgraphResult(IReadOnlyList<long> ExecutionIds, IReadOnlyList<long> ArtifactIds, IReadOnlyList<long> ContextIds);

/// <summary>The ids <see cref="IMetadataStore.PutTypesAsync"/> wrote, each list in request order.</summary>
/// <param name="ArtifactTypeIds">The artifact types' ids.</param>
/// <param name="ExecutionTypeIds">The execution types' ids.</param>
/// <param name="ContextTypeIds">The context types' ids.</param>
public sealed record PutTypesResult(IReadOnlyList<long> ArtifactTypeIds, IReadOnlyList<long> ExecutionTypeIds, IReadOnlyList<long> ContextTypeIds);
