namespace MetadataStore;

/// <summary>An artifact read together with its type, from <see cref="IMetadataStore.GetArtifactsWithTypesByIdAsync"/>.</summary>
/// <param name="Artifact">The artifact.</param>
/// <param name="Type">The artifact's type.</param>
public sealed record ArtifactWithType(Artifact Artifact, ArtifactType Type);
