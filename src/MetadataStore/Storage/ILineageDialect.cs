namespace MetadataStore.Storage;

/// <summary>
/// The SQL text a relational backend gives <see cref="LineageTraversal"/>. Reached nodes live in a per-connection
/// temporary table of (kind, id, hop, is_end) rows, kind 0 for artifacts, 1 for executions and 2 for contexts, keyed
/// by (kind, id). Parameters are named by the caller (<c>$q0</c>, ...) and passed in.
/// </summary>
internal interface ILineageDialect
{
    /// <summary>Statements that create the temporary table and its index when missing; run in order, each alone.</summary>
    IReadOnlyList<string> CreateVisitTable { get; }

    /// <summary>Empties the temporary table.</summary>
    string ClearVisits { get; }

    /// <summary>An expression that is 1 when the node of <paramref name="kind"/> whose id is <paramref name="idExpression"/> satisfies <paramref name="condition"/> (written on alias <c>lend</c>), else 0.</summary>
    string EndCheck(NodeKind kind, string idExpression, string condition);

    /// <summary>Inserts the nodes of <paramref name="kind"/> satisfying <paramref name="condition"/> (on alias <c>n</c>) at hop 0; <paramref name="endCheck"/> reads <c>n."id"</c>.</summary>
    string SeedByFilter(NodeKind kind, string condition, string endCheck);

    /// <summary>Inserts the node of <paramref name="kind"/> whose id is <paramref name="idParameter"/> at hop 0, when it exists.</summary>
    string SeedById(NodeKind kind, string idParameter, string endCheck);

    /// <summary>
    /// Inserts, at hop <paramref name="nextParameter"/>, the nodes one event away from the unended nodes at hop
    /// <paramref name="hopParameter"/> that are not in the table yet: executions over events of
    /// <paramref name="fromArtifactTypes"/> of those artifacts, artifacts over events of <paramref name="fromExecutionTypes"/>
    /// of those executions (an empty list leaves that branch out). The end checks read <c>ev."execution_id"</c> and
    /// <c>ev."artifact_id"</c>. Reports the number of rows inserted.
    /// </summary>
    string Expand(string hopParameter, string nextParameter, IReadOnlyList<int> fromArtifactTypes, IReadOnlyList<int> fromExecutionTypes, string executionEndCheck, string artifactEndCheck);

    /// <summary>Deletes the nodes that matched an ending filter.</summary>
    string DropEnds { get; }

    /// <summary>Selects kind, id, hop, is_end of the artifacts and executions, by hop, kind and id.</summary>
    string SelectVisits { get; }

    /// <summary>
    /// Selects id, artifact_id, execution_id, type, milliseconds_since_epoch, then is_index_step, step_index, step_key
    /// of each path step (NULL for an event without a path), of the events between two nodes of the table crossed from
    /// an unended node at a hop below <paramref name="maxHopParameter"/>: from its artifact over
    /// <paramref name="fromArtifactTypes"/>, or from its execution over <paramref name="fromExecutionTypes"/>; by event
    /// id, each event's steps in order. Unless <paramref name="checkOtherEnd"/>, the other end need not be checked: every
    /// node one hop from an expanded node is in the table when no ending node was dropped.
    /// </summary>
    string SelectEvents(string maxHopParameter, IReadOnlyList<int> fromArtifactTypes, IReadOnlyList<int> fromExecutionTypes, bool checkOtherEnd);

    /// <summary>Selects context_id, artifact_id of the attributions of the table's artifacts.</summary>
    string SelectAttributions { get; }

    /// <summary>Selects context_id, execution_id of the associations of the table's executions.</summary>
    string SelectAssociations { get; }

    /// <summary>Inserts the contexts of the table's artifacts and executions as kind 2.</summary>
    string AddContexts { get; }

    /// <summary>Selects the rows of the table's nodes of <paramref name="kind"/>: id, type_id, type name, name, external_id, uri, state, create and update time; by id.</summary>
    string SelectNodes(NodeKind kind);

    /// <summary>Selects the property rows of the table's nodes of <paramref name="kind"/>: owner id, name, is_custom_property, then the value columns.</summary>
    string SelectProperties(NodeKind kind);
}
