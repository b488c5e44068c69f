namespace MetadataStore;

/// <summary>An edge saying an artifact belongs to a context.</summary>
/// <param name="ContextId">The context's id.</param>
/// <param name="ArtifactId">The artifact's id.</param>
public sealed record Attribution(long ContextId, long ArtifactId);
