namespace MetadataStore;

/// <summary>Which way a lineage traversal follows events. The numbers are MLMD's <c>LineageSubgraphQueryOptions.Direction</c> values.</summary>
public enum LineageDirection
{
    /// <summary>Both ways (MLMD's <c>BIDIRECTIONAL</c>; its <c>DIRECTION_UNSPECIFIED</c> means the same).</summary>
    Both = 0,
    /// <summary>Towards what a node came from: from an artifact to the executions that wrote it, from an execution to the artifacts it read.</summary>
    Upstream = 1,
    /// <summary>Towards what a node reached: from an artifact to the executions that read it, from an execution to the artifacts it wrote.</summary>
    Downstream = 2,
}
