namespace MetadataStore;

/// <summary>How a put may change a type that already exists under the same kind, name and version.</summary>
public sealed record PutTypeOptions
{
    /// <summary>The default: the stored and given property sets must match exactly.</summary>
    public static PutTypeOptions Default { get; } = new();

    /// <summary>Allow properties the stored type lacks; they are added.</summary>
    public bool CanAddFields { get; init; }

    /// <summary>Allow leaving out properties the stored type has; they stay stored.</summary>
    public bool CanOmitFields { get; init; }
}
