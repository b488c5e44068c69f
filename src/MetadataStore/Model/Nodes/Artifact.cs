namespace MetadataStore;

/// <summary>A dataset, model, metrics file or any other thing an execution reads or writes.</summary>
public sealed record Artifact : MetadataNode
{
    private protected override string KindName => "artifact";

    /// <summary>Where the artifact lives; stored as the empty string when not set, as MLMD does.</summary>
    public string? Uri { get; init; }

    /// <summary>The artifact's state; <see langword="null"/> when never set.</summary>
    public ArtifactState? State { get; init; }

    /// <summary>Creates an artifact of a type given by name (an unversioned type).</summary>
    /// <param name="typeName">The artifact type's name.</param>
    /// <param name="uri">Where the artifact lives.</param>
    /// <param name="name">The artifact's name, unique within its type.</param>
    /// <returns>The new, unstored artifact.</returns>
    public static Artifact Of(string typeName, string? uri = null, string? name = null) => new() { TypeName = RequireName(typeName, "type name", nameof(typeName)), Uri = uri, Name = name };

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
