using System.Collections.ObjectModel;

namespace MetadataStore;

/// <summary>What artifacts, executions and contexts share: a type, an optional name and external id, typed and custom properties, and times.</summary>
public abstract record MetadataNode
{
    private protected MetadataNode()
    {
    }

    /// <summary>The id the store assigned; <see langword="null"/> for a node not yet stored. A node with an id is updated by a put.</summary>
    public long? Id { get; init; }

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

    internal static IReadOnlyDictionary<string, PropertyValue> EmptyValues { get; } =
        new ReadOnlyDictionary<string, PropertyValue>(new Dictionary<string, PropertyValue>());

    internal static IReadOnlyDictionary<string, PropertyValue> Add(IReadOnlyDictionary<string, PropertyValue> map, string name, PropertyValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var copy = new Dictionary<string, PropertyValue>(map, StringComparer.Ordinal) { [name] = value };
        return copy.AsReadOnly();
    }
}
