namespace MetadataStore;

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
