namespace MetadataStore;

/// <summary>An event between an execution and an artifact of a lineage subgraph, each given by its index in the request or by the event's ids.</summary>
/// <param name="ExecutionIndex">The execution's index in the request, or <see langword="null"/> to use <see cref="Event.ExecutionId"/>.</param>
/// <param name="ArtifactIndex">The artifact's index in the request, or <see langword="null"/> to use <see cref="Event.ArtifactId"/>.</param>
/// <param name="Event">The event.</param>
public sealed record EventEdge(int? ExecutionIndex, int? ArtifactIndex, Event Event);
