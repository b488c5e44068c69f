namespace MetadataStore.Query;

/// <summary>The enum value names of the filter language (MLMD's proto names); every value, UNKNOWN included, is accepted.</summary>
internal static class FilterEnums
{
    private static readonly string[] ArtifactStates =
        ["UNKNOWN", "PENDING", "LIVE", "MARKED_FOR_DELETION", "DELETED", "ABANDONED", "REFERENCE"];

    private static readonly string[] ExecutionStates =
        ["UNKNOWN", "NEW", "RUNNING", "COMPLETE", "FAILED", "CACHED", "CANCELED"];

    private static readonly string[] EventTypes =
        ["UNKNOWN", "DECLARED_OUTPUT", "DECLARED_INPUT", "INPUT", "OUTPUT", "INTERNAL_INPUT", "INTERNAL_OUTPUT", "PENDING_OUTPUT"];

    /// <summary>The names of a domain, indexed by the enum number.</summary>
    public static IReadOnlyList<string> Names(FilterEnumDomain domain) => domain switch
    {
        FilterEnumDomain.ArtifactState => ArtifactStates,
        FilterEnumDomain.ExecutionState => ExecutionStates,
        FilterEnumDomain.EventType => EventTypes,
        _ => [],
    };

    public static int? Parse(FilterEnumDomain domain, string name)
    {
        int index = Array.IndexOf((string[])Names(domain), name);
        return index < 0 ? null : index;
    }

    public static string Name(FilterEnumDomain domain, int value) =>
        value >= 0 && value < Names(domain).Count ? Names(domain)[value] : throw new ArgumentOutOfRangeException(nameof(value));
}
