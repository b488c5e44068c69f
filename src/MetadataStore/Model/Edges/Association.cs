namespace MetadataStore;

/// <summary>An edge saying an execution belongs to a context.</summary>
/// <param name="ContextId">The context's id.</param>
/// <param name="ExecutionId">The execution's id.</param>
public sealed record Association(long ContextId, long ExecutionId);
