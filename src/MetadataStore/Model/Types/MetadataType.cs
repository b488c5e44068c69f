using System.Collections.ObjectModel;

namespace MetadataStore;

/// <summary>
/// What artifact, execution and context types share: a name, an optional version, and the schema of the
/// typed properties their nodes carry. A type is identified by its kind, name and version.
/// </summary>
public abstract record MetadataType
{
    private protected MetadataType(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
    }

    /// <summary>The id the store assigned; <see langword="null"/> for a type not yet stored.</summary>
    public long? Id { get; init; }

    /// <summary>The type's name; with <see cref="Version"/>, unique among types of the same kind.</summary>
    public string Name { get; init; }

    /// <summary>The type's version; <see langword="null"/> (or empty, which means the same) for an unversioned type.</summary>
    public string? Version { get; init; }

    /// <summary>A free-text description, kept as first written.</summary>
    public string? Description { get; init; }

    /// <summary>An id from another system; unique among all types of every kind.</summary>
    public string? ExternalId { get; init; }

    /// <summary>The typed properties that nodes of this type may carry, by name.</summary>
    public IReadOnlyDictionary<string, PropertyKind> Properties { get; init; } = EmptyProperties;

    internal static IReadOnlyDictionary<string, PropertyKind> EmptyProperties { get; } =
        new ReadOnlyDictionary<string, PropertyKind>(new Dictionary<string, PropertyKind>());

    internal abstract TypeKind Kind { get; }

    internal IReadOnlyDictionary<string, PropertyKind> AddProperty(string name, PropertyKind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        var copy = new Dictionary<string, PropertyKind>(Properties, StringComparer.Ordinal) { [name] = kind };
        return copy.AsReadOnly();
    }
}
