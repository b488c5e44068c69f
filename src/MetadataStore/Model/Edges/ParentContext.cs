namespace MetadataStore;

/// <summary>An edge saying a context is a child of another; parent links never form a cycle.</summary>
/// <param name="ChildId">The child context's id.</param>
/// <param name="ParentId">The parent context's id.</param>
public sealed record ParentContext(long ChildId, long ParentId);
