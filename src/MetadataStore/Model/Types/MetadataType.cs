using System.Collections.ObjectModel;
using System.Text;

namespace MetadataStore;

/// <summary>
/// What artifact, execution and context types share: a name, an optional version, and the schema of the
/// typed properties their nodes carry. A type is identified by its kind, name and version. Types compare by
/// content, their property schemas included.
/// </summary>
public abstract record MetadataType
{
    private protected MetadataType(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
    }

    /// <summary>The id of a type read from the store.</summary>
    /// <exception cref="MetadataStoreException">FailedPrecondition when the type has no id (it was never stored).</exception>
    public long StoredId => Id ?? throw new MetadataStoreException(MetadataErrorCode.FailedPrecondition, $"The {GetType().Name} '{Name}' has no id: it has not been stored.");

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

    /// <inheritdoc />
    public virtual bool Equals(MetadataType? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && EqualityContract == other.EqualityContract
            && Id == other.Id
            && Name == other.Name
            && Version == other.Version
            && Description == other.Description
            && ExternalId == other.ExternalId
            && ContentEquality.MapEquals(Properties, other.Properties));

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(EqualityContract, Id, Name, Version, Description, ExternalId, ContentEquality.MapHash(Properties));

    /// <summary>Prints the fields and the property schema's contents (never <see cref="StoredId"/>, which throws for a new type).</summary>
    /// <param name="builder">The text being built.</param>
    /// <returns>Whether anything was printed.</returns>
    protected virtual bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("Id = ").Append(Id)
            .Append(", Name = ").Append(Name)
            .Append(", Version = ").Append(Version)
            .Append(", Description = ").Append(Description)
            .Append(", ExternalId = ").Append(ExternalId)
            .Append(", Properties = ");
        ContentEquality.PrintMap(builder, Properties);
        return true;
    }

    internal IReadOnlyDictionary<string, PropertyKind> AddProperty(string name, PropertyKind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || kind == PropertyKind.Unknown || !Enum.IsDefined(kind))
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"A type property needs a name and a valid kind; '{name}' has {kind}.");
        }

        var copy = new Dictionary<string, PropertyKind>(Properties, StringComparer.Ordinal) { [name] = kind };
        return copy.AsReadOnly();
    }
}
