using System.Globalization;

namespace MetadataStore;

/// <summary>An artifact or an execution, by kind and id: a node of a lineage graph.</summary>
/// <param name="Kind">Artifact or execution.</param>
/// <param name="Id">The node's id.</param>
public readonly record struct LineageNodeId(LineageNodeKind Kind, long Id)
{
    /// <summary>The artifact with the given id.</summary>
    /// <param name="id">The artifact's id.</param>
    /// <returns>The node id.</returns>
    public static LineageNodeId Artifact(long id) => new(LineageNodeKind.Artifact, id);

    /// <summary>The execution with the given id.</summary>
    /// <param name="id">The execution's id.</param>
    /// <returns>The node id.</returns>
    public static LineageNodeId Execution(long id) => new(LineageNodeKind.Execution, id);

    /// <summary>Whether this is an artifact.</summary>
    public bool IsArtifact => Kind == LineageNodeKind.Artifact;

    /// <inheritdoc />
    public override string ToString() => (IsArtifact ? "a" : "e") + Id.ToString(CultureInfo.InvariantCulture);
}
