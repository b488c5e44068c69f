namespace MetadataStore;

/// <summary>An artifact (new, or stored when it has an id) and the event that links it to the execution, for <see cref="IMetadataStore.PutExecutionAsync"/>.</summary>
/// <param name="Artifact">The artifact, or <see langword="null"/> when the event names a stored artifact by id.</param>
/// <param name="Event">The event, or <see langword="null"/> to record only the artifact and its attribution.</param>
public sealed record ArtifactAndEvent(Artifact? Artifact, Event? Event);
