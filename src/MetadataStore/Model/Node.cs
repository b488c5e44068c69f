using System.Collections.ObjectModel;

namespace MetadataStore;

/// <summary>What artifacts, executions and contexts share: a type, an optional name and external id, typed and custom properties, and times.</summary>
public abstract record Node
{
    private protected Node()
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

/// <summary>A dataset, model, metrics file or any other thing an execution reads or writes.</summary>
public sealed record Artifact : Node
{
    /// <summary>Where the artifact lives; stored as the empty string when not set, as MLMD does.</summary>
    public string? Uri { get; init; }

    /// <summary>The artifact's state; <see langword="null"/> when never set.</summary>
    public ArtifactState? State { get; init; }

    /// <summary>Creates an artifact of a type given by name (an unversioned type).</summary>
    /// <param name="typeName">The artifact type's name.</param>
    /// <param name="uri">Where the artifact lives.</param>
    /// <param name="name">The artifact's name, unique within its type.</param>
    /// <returns>The new, unstored artifact.</returns>
    public static Artifact Of(string typeName, string? uri = null, string? name = null) => new() { TypeName = typeName, Uri = uri, Name = name };

    /// <summary>Creates an artifact of a type given by id.</summary>
    /// <param name="typeId">The artifact type's id.</param>
    /// <param name="uri">Where the artifact lives.</param>
    /// <param name="name">The artifact's name, unique within its type.</param>
    /// <returns>The new, unstored artifact.</returns>
    public static Artifact Of(long typeId, string? uri = null, string? name = null) => new() { TypeId = typeId, Uri = uri, Name = name };

    /// <summary>Returns a copy with a typed property set.</summary>
    /// <param name="name">The property's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The copy.</returns>
    public Artifact With(string name, PropertyValue value) => this with { Properties = Add(Properties, name, value) };

    /// <summary>Returns a copy with a custom property set.</summary>
    /// <param name="name">The property's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The copy.</returns>
    public Artifact WithCustom(string name, PropertyValue value) => this with { CustomProperties = Add(CustomProperties, name, value) };
}

/// <summary>A run of a step: training, evaluation, a data transformation.</summary>
public sealed record Execution : Node
{
    /// <summary>The execution's last known state; <see langword="null"/> when never set.</summary>
    public ExecutionState? LastKnownState { get; init; }

    /// <summary>Creates an execution of a type given by name (an unversioned type).</summary>
    /// <param name="typeName">The execution type's name.</param>
    /// <param name="state">The execution's state.</param>
    /// <param name="name">The execution's name, unique within its type.</param>
    /// <returns>The new, unstored execution.</returns>
    public static Execution Of(string typeName, ExecutionState? state = null, string? name = null) => new() { TypeName = typeName, LastKnownState = state, Name = name };

    /// <summary>Creates an execution of a type given by id.</summary>
    /// <param name="typeId">The execution type's id.</param>
    /// <param name="state">The execution's state.</param>
    /// <param name="name">The execution's name, unique within its type.</param>
    /// <returns>The new, unstored execution.</returns>
    public static Execution Of(long typeId, ExecutionState? state = null, string? name = null) => new() { TypeId = typeId, LastKnownState = state, Name = name };

    /// <summary>Returns a copy with a typed property set.</summary>
    /// <param name="name">The property's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The copy.</returns>
    public Execution With(string name, PropertyValue value) => this with { Properties = Add(Properties, name, value) };

    /// <summary>Returns a copy with a custom property set.</summary>
    /// <param name="name">The property's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The copy.</returns>
    public Execution WithCustom(string name, PropertyValue value) => this with { CustomProperties = Add(CustomProperties, name, value) };
}

/// <summary>A group of artifacts and executions: an experiment, a pipeline, a pipeline run. Its name is required and may change.</summary>
public sealed record Context : Node
{
    /// <summary>Creates a context of a type given by name (an unversioned type).</summary>
    /// <param name="typeName">The context type's name.</param>
    /// <param name="name">The context's name, unique within its type.</param>
    /// <returns>The new, unstored context.</returns>
    public static Context Of(string typeName, string name) => new() { TypeName = typeName, Name = name };

    /// <summary>Creates a context of a type given by id.</summary>
    /// <param name="typeId">The context type's id.</param>
    /// <param name="name">The context's name, unique within its type.</param>
    /// <returns>The new, unstored context.</returns>
    public static Context Of(long typeId, string name) => new() { TypeId = typeId, Name = name };

    /// <summary>Returns a copy with a typed property set.</summary>
    /// <param name="name">The property's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The copy.</returns>
    public Context With(string name, PropertyValue value) => this with { Properties = Add(Properties, name, value) };

    /// <summary>Returns a copy with a custom property set.</summary>
    /// <param name="name">The property's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The copy.</returns>
    public Context WithCustom(string name, PropertyValue value) => this with { CustomProperties = Add(CustomProperties, name, value) };
}
