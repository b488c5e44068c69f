namespace MetadataStore;

/// <summary>Options of <see cref="IMetadataStore.PutLineageSubgraphAsync"/>.</summary>
public sealed record PutLineageSubgraphOptions
{
    /// <summary>The default: every context without an id is inserted.</summary>
    public static PutLineageSubgraphOptions Default { get; } = new();

    /// <summary>Reuse a context without an id when one of the same type and name exists.</summary>
    public bool ReuseContextIfAlreadyExists { get; init; }

    /// <summary>Treat an artifact without an id whose external id is stored as an update of the stored artifact.</summary>
    public bool ReuseArtifactIfAlreadyExistsByExternalId { get; init; }
}
