namespace MetadataStore;

/// <summary>The three kinds of type; the numbers are what MLMD stores in <c>Type.type_kind</c>.</summary>
public enum TypeKind
{
    /// <summary>An execution type.</summary>
    Execution = 0,

    /// <summary>An artifact type.</summary>
    Artifact = 1,

    /// <summary>A context type.</summary>
    Context = 2,
}
