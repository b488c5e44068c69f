using System.Collections.ObjectModel;
using System.Text;

namespace MetadataStore;

/// <summary>
/// What artifacts, executions and contexts share: a type, an optional name and external id, typed and custom
/// properties, and times. Nodes compare by content: two nodes are equal when every field and every property is.
/// </summary>
public abstract record MetadataNode
{
    private protected MetadataNode()
    {
    }

    /// <summary>The id the store assigned; <see langword="null"/> for a node not yet stored. A node with an id is updated by a put.</summary>
    public long? Id { get; init; }

    /// <summary>The id of a node read from the store, or written by a put.</summary>
    /// <exception cref="MetadataStoreException">FailedPrecondition when the node has no id (it was never stored).</exception>
    public long StoredId => Id ?? throw new MetadataStoreException(MetadataErrorCode.FailedPrecondition, $"This {KindName} has no id: it has not been stored.");

    /// <summary>The id of the node's type. Required to create a node unless <see cref="TypeName"/> names an unversioned type.</summary>
    public long? TypeId { get; init; }

    /// <summary>The name of the node's type. Filled in on read; on create it may stand in for <see cref="TypeId"/>.</summary>
    public string? TypeName { get; init; }

    /// <summary>The node's name; unique among nodes of the same type.</summary>
    public string? Name { get; init; }

    /// <summary>An id from another system; unique among nodes of the same kind.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Properties declared by the node's type, by name.</summary>
    public IReadOnlyDictionary<string, PropertyValue> Properties { get; init; } = EmptyValues;

    /// <summary>Free-form properties of any kind, by name.</summary>
    public IReadOnlyDictionary<string, PropertyValue> CustomProperties { get; init; } = EmptyValues;

    /// <summary>When the node was created (millisecond precision); set by the store.</summary>
    public DateTimeOffset? CreateTime { get; init; }

    /// <summary>When the node last changed (millisecond precision); set by the store, and compared by the optimistic update check.</summary>
    public DateTimeOffset? LastUpdateTime { get; init; }

    private protected abstract string KindName { get; }

    /// <inheritdoc />
    public virtual bool Equals(MetadataNode? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && EqualityContract == other.EqualityContract
            && Id == other.Id
            && TypeId == other.TypeId
            && TypeName == other.TypeName
            && Name == other.Name
            && ExternalId == other.ExternalId
            && CreateTime == other.CreateTime
            && LastUpdateTime == other.LastUpdateTime
            && ContentEquality.MapEquals(Properties, other.Properties)
            && ContentEquality.MapEquals(CustomProperties, other.CustomProperties));

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(EqualityContract, Id, TypeId, TypeName, Name, ExternalId, ContentEquality.MapHash(Properties), ContentEquality.MapHash(CustomProperties));

    /// <summary>Prints the fields and the properties' contents (never <see cref="StoredId"/>, which throws for a new node).</summary>
    /// <param name="builder">The text being built.</param>
    /// <returns>Whether anything was printed.</returns>
    protected virtual bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("Id = ").Append(Id)
            .Append(", TypeId = ").Append(TypeId)
            .Append(", TypeName = ").Append(TypeName)
            .Append(", Name = ").Append(Name)
            .Append(", ExternalId = ").Append(ExternalId)
            .Append(", Properties = ");
        ContentEquality.PrintMap(builder, Properties);
        builder.Append(", CustomProperties = ");
        ContentEquality.PrintMap(builder, CustomProperties);
        builder.Append(", CreateTime = ").Append(CreateTime)
            .Append(", LastUpdateTime = ").Append(LastUpdateTime);
        return true;
    }

    internal static IReadOnlyDictionary<string, PropertyValue> EmptyValues { get; } =
        new ReadOnlyDictionary<string, PropertyValue>(new Dictionary<string, PropertyValue>());

    internal static IReadOnlyDictionary<string, PropertyValue> Add(IReadOnlyDictionary<string, PropertyValue> map, string name, PropertyValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Length == 0)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, "A property name must not be empty.");
        }

        var copy = new Dictionary<string, PropertyValue>(map, StringComparer.Ordinal) { [name] = value };
        return copy.AsReadOnly();
    }

    /// <summary>Checks a name a factory was given: null is the caller's bug, empty is a bad value.</summary>
    internal static string RequireName(string value, string what, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        return value.Length > 0 ? value : throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The {what} must not be empty.");
    }
}
