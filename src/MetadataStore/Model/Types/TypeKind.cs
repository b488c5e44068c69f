namespace MetadataStore;

/// <summary>The three kinds of type; the numbers are what MLMD stores in <c>Type.type_kind</c>.</summary>
internal enum TypeKind
{
    Execution = 0,
    Artifact = 1,
    Context = 2,
}
