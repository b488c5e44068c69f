namespace MetadataStore;

/// <summary>Options of <see cref="IMetadataStore.PutExecutionAsync"/>.</summary>
public sealed record PutExecutionOptions
{
    /// <summary>The default: every context without an id is inserted.</summary>
    public static PutExecutionOptions Default { get; } = new();

    /// <summary>Reuse a context without an id when one of the same type and name exists.</summary>
    public bool ReuseContextIfAlreadyExists { get; init; }

    /// <summary>Treat an artifact without an id whose external id is stored as an update of the stored artifact.</summary>
    public bool ReuseArtifactIfAlreadyExistsByExternalId { get; init; }

    /// <summary>For contexts with an id, only check that they exist; never update them.</summary>
    public bool ForceReuseContext { get; init; }

    /// <summary>Bump the execution's last update time even when nothing about it changed.</summary>
    public bool ForceUpdateTime { get; init; }
}
