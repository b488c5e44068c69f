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

/// <summary>The type of an execution: a component, a training step, an evaluation.</summary>
public sealed record ExecutionType : MetadataType
{
    /// <summary>Creates an execution type with a name and no properties.</summary>
    /// <param name="name">The type's name.</param>
    public ExecutionType(string name)
        : base(name)
    {
    }

    /// <summary>The system base type; <see langword="null"/> leaves it as stored.</summary>
    public ExecutionBaseType? BaseType { get; init; }

    /// <summary>
    /// MLMD's experimental input signature: an <c>ArtifactStructType</c> in protobuf JSON form, such as
    /// <c>{"dict":{"properties":{"examples":{"simple":{"name":"Examples"}}}}}</c>; stored as first written. A put refuses
    /// other text with InvalidArgument, since MLMD parses this column on every type read.
    /// </summary>
    public string? InputType { get; init; }

    /// <summary>MLMD's experimental output signature, in the same form as <see cref="InputType"/>; stored as first written.</summary>
    public string? OutputType { get; init; }

    internal override TypeKind Kind => TypeKind.Execution;

    /// <summary>Creates an execution type with a name and an optional version.</summary>
    /// <param name="name">The type's name.</param>
    /// <param name="version">The type's version, or <see langword="null"/>.</param>
    /// <returns>The new type.</returns>
    public static ExecutionType Named(string name, string? version = null) => new(name) { Version = version };

    /// <summary>Returns a copy with one more typed property.</summary>
    /// <param name="name">The property's name.</param>
    /// <param name="kind">The property's kind.</param>
    /// <returns>The copy.</returns>
    public ExecutionType WithProperty(string name, PropertyKind kind) => this with { Properties = AddProperty(name, kind) };
}

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

/// <summary>The three kinds of type; the numbers are what MLMD stores in <c>Type.type_kind</c>.</summary>
internal enum TypeKind
{
    Execution = 0,
    Artifact = 1,
    Context = 2,
}
