namespace MetadataStore;

/// <summary>
/// Limits of the provenance, impact and path calls of <see cref="IMetadataStore"/>: how far to go, which nodes to stop
/// at, and whether nodes come hydrated.
/// </summary>
public sealed record LineageOptions
{
    /// <summary>The default: no hop limit, no stop filters, hydrated nodes.</summary>
    public static LineageOptions Default { get; } = new();

    /// <summary>How many hops to follow at most (a hop goes over one event); <see langword="null"/> for no limit.</summary>
    public int? MaxHops { get; init; }

    /// <summary>A filter query on artifacts at which to stop: they are not expanded further.</summary>
    public string? StopAtArtifacts { get; init; }

    /// <summary>A filter query on executions at which to stop: they are not expanded further.</summary>
    public string? StopAtExecutions { get; init; }

    /// <summary>Whether the nodes stopped at are returned (the default) or dropped with the events that reach them.</summary>
    public bool IncludeStopNodes { get; init; } = true;

    /// <summary>Return nodes carrying only their ids, and no types; hydrated by default.</summary>
    public bool IdsOnly { get; init; }
}
