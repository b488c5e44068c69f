namespace MetadataStore.Lineage;

/// <summary>What the Graphviz and Mermaid exports of <see cref="LineageExport"/> put in node labels.</summary>
public sealed record LineageExportOptions
{
    /// <summary>The defaults: up to three properties per node, values cut at 40 characters, left to right.</summary>
    public static LineageExportOptions Default { get; } = new();

    /// <summary>How many properties a node's label shows (typed ones first, each group by name); 0 for none.</summary>
    public int MaxProperties { get; init; } = 3;

    /// <summary>The longest property value or name shown; longer ones are cut and end with an ellipsis.</summary>
    public int MaxValueLength { get; init; } = 40;

    /// <summary>Lay the graph out top to bottom instead of left to right.</summary>
    public bool TopToBottom { get; init; }
}
