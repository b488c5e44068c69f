namespace MetadataStore.Conformance;

/// <summary>Unique names for types and nodes, so tests never collide with each other or with system types.</summary>
public static class Some
{
    private static int s_counter;

    /// <summary>A unique name with a readable prefix.</summary>
    public static string Name(string prefix = "name") =>
        $"{prefix}-{Interlocked.Increment(ref s_counter)}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>A unique type name.</summary>
    public static string TypeName() => Name("Type");

    /// <summary>A unique external id.</summary>
    public static string ExternalId() => Name("ext");

    /// <summary>A unique URI.</summary>
    public static string Uri() => "file:///" + Name("uri");

    /// <summary>A new artifact type with a unique name and the given properties.</summary>
    public static ArtifactType ArtifactType(params (string Name, PropertyKind Kind)[] properties)
    {
        // Built as a map rather than by WithProperty, so that tests can hand the store kinds WithProperty refuses.
        return MetadataStore.ArtifactType.Named(TypeName()) with { Properties = properties.ToDictionary(p => p.Name, p => p.Kind) };
    }

    /// <summary>A new execution type with a unique name and the given properties.</summary>
    public static ExecutionType ExecutionType(params (string Name, PropertyKind Kind)[] properties)
    {
        // Built as a map rather than by WithProperty, so that tests can hand the store kinds WithProperty refuses.
        return MetadataStore.ExecutionType.Named(TypeName()) with { Properties = properties.ToDictionary(p => p.Name, p => p.Kind) };
    }

    /// <summary>A new context type with a unique name and the given properties.</summary>
    public static ContextType ContextType(params (string Name, PropertyKind Kind)[] properties)
    {
        var type = MetadataStore.ContextType.Named(TypeName());
        foreach (var (name, kind) in properties)
        {
            type = type.WithProperty(name, kind);
        }

        return type;
    }
}
