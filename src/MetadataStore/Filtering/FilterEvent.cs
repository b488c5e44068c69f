using MetadataStore.Query;

namespace MetadataStore.Filtering;

/// <summary>An event of the listed artifact or execution in a filter (<c>events_x</c>).</summary>
public sealed class FilterEvent
{
    private readonly string _alias;

    internal FilterEvent(string alias)
    {
        Filter.RequirePlainName(alias, "alias");
        _alias = "events_" + alias;
    }

    /// <summary>The event type.</summary>
    public FilterEnum<EventType> Type => new([_alias, "type"]);

    /// <summary>The event time, in milliseconds since the Unix epoch.</summary>
    public FilterNumber Time => FilterNumber.Field(_alias, "milliseconds_since_epoch");

    /// <summary>The execution at the other end (artifact listings only).</summary>
    public FilterNumber ExecutionId => FilterNumber.Field(_alias, "execution_id");

    /// <summary>The artifact at the other end (execution listings only).</summary>
    public FilterNumber ArtifactId => FilterNumber.Field(_alias, "artifact_id");
}
