using MetadataStore.Query;

namespace MetadataStore.Filtering;

/// <summary>A neighbouring node in a filter (<c>contexts_x</c>, <c>artifacts_x</c>, <c>executions_x</c>, <c>parent_contexts_x</c>, <c>child_contexts_x</c>).</summary>
public sealed class FilterNeighbor
{
    private readonly string _alias;

    internal FilterNeighbor(string prefix, string alias)
    {
        Filter.RequirePlainName(alias, "alias");
        _alias = prefix + alias;
    }

    /// <summary>The neighbour's id.</summary>
    public FilterNumber Id => FilterNumber.Field(_alias, "id");

    /// <summary>The neighbour's type id.</summary>
    public FilterNumber TypeId => FilterNumber.Field(_alias, "type_id");

    /// <summary>The neighbour's type name.</summary>
    public FilterText Type => FilterText.Field(_alias, "type");

    /// <summary>The neighbour's name.</summary>
    public FilterText Name => FilterText.Field(_alias, "name");

    /// <summary>The neighbour's external id.</summary>
    public FilterText ExternalId => FilterText.Field(_alias, "external_id");

    /// <summary>The neighbour's creation time, in milliseconds since the Unix epoch.</summary>
    public FilterNumber CreateTime => FilterNumber.Field(_alias, "create_time_since_epoch");

    /// <summary>The neighbour's last update time, in milliseconds since the Unix epoch.</summary>
    public FilterNumber LastUpdateTime => FilterNumber.Field(_alias, "last_update_time_since_epoch");

    /// <summary>The neighbouring artifact's URI (<see cref="Filter.Artifact"/> only).</summary>
    public FilterText Uri => FilterText.Field(_alias, "uri");

    /// <summary>The neighbouring artifact's state (<see cref="Filter.Artifact"/> only).</summary>
    public FilterEnum<ArtifactState> State => new([_alias, "state"]);

    /// <summary>The neighbouring execution's state (<see cref="Filter.Execution"/> only).</summary>
    public FilterEnum<ExecutionState> LastKnownState => new([_alias, "last_known_state"]);
}
