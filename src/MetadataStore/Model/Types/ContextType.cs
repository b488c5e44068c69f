namespace MetadataStore;

/// <summary>The type of a context: an experiment, a pipeline, a pipeline run.</summary>
public sealed record ContextType : MetadataType
{
    /// <summary>Creates a context type with a name and no properties.</summary>
    /// <param name="name">The type's name.</param>
    public ContextType(string name)
        : base(name)
    {
    }

    internal override TypeKind Kind => TypeKind.Context;

    /// <summary>Creates a context type with a name and an optional version.</summary>
    /// <param name="name">The type's name.</param>
    /// <param name="version">The type's version, or <see langword="null"/>.</param>
    /// <returns>The new type.</returns>
    public static ContextType Named(string name, string? version = null) => new(name) { Version = version };

    /// <summary>Returns a copy with one more typed property.</summary>
    /// <param name="name">The property's name.</param>
    /// <param name="kind">The property's kind.</param>
    /// <returns>The copy.</returns>
    public ContextType WithProperty(string name, PropertyKind kind) => this with { Properties = AddProperty(name, kind) };
}
