namespace MetadataStore;

/// <summary>A group of artifacts and executions: an experiment, a pipeline, a pipeline run. Its name is required and may change.</summary>
public sealed record Context : MetadataNode
{
    private protected override string KindName => "context";

    /// <summary>Creates a context of a type given by name (an unversioned type).</summary>
    /// <param name="typeName">The context type's name.</param>
    /// <param name="name">The context's name, unique within its type.</param>
    /// <returns>The new, unstored context.</returns>
    public static Context Of(string typeName, string name) => new() { TypeName = RequireName(typeName, "type name", nameof(typeName)), Name = RequireName(name, "context name", nameof(name)) };

    /// <summary>Creates a context of a type given by id.</summary>
    /// <param name="typeId">The context type's id.</param>
    /// <param name="name">The context's name, unique within its type.</param>
    /// <returns>The new, unstored context.</returns>
    public static Context Of(long typeId, string name) => new() { TypeId = typeId, Name = RequireName(name, "context name", nameof(name)) };

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
