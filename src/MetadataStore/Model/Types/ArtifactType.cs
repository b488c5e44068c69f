namespace MetadataStore;

/// <summary>The type of an artifact: a dataset, a model, metrics, or anything a step reads or writes.</summary>
public sealed record ArtifactType : MetadataType
{
    /// <summary>Creates an artifact type with a name and no properties.</summary>
    /// <param name="name">The type's name.</param>
    public ArtifactType(string name)
        : base(name)
    {
    }

    /// <summary>The system base type; <see langword="null"/> leaves it as stored.</summary>
    public ArtifactBaseType? BaseType { get; init; }

    internal override TypeKind Kind => TypeKind.Artifact;

    /// <summary>Creates an artifact type with a name and an optional version.</summary>
    /// <param name="name">The type's name.</param>
    /// <param name="version">The type's version, or <see langword="null"/>.</param>
    /// <returns>The new type.</returns>
    public static ArtifactType Named(string name, string? version = null) => new(name) { Version = version };

    /// <summary>Returns a copy with one more typed property.</summary>
    /// <param name="name">The property's name.</param>
    /// <param name="kind">The property's kind.</param>
    /// <returns>The copy.</returns>
    public ArtifactType WithProperty(string name, PropertyKind kind) => this with { Properties = AddProperty(name, kind) };
}
