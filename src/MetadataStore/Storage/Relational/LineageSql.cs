namespace MetadataStore.Storage.Relational;

/// <summary>
/// The SQL of a lineage traversal (see <see cref="LineageTraversal"/>). Reached nodes live in the dialect's
/// per-connection temporary table of (kind, id, hop, is_end) rows, kind 0 for artifacts, 1 for executions and 2 for
/// contexts, keyed by (kind, id). Joins start from that table with the dialect's <see cref="SqlDialect.OrderedJoin"/>,
/// so each hop reads only the events of the frontier through MLMD's event indexes whatever the size of the store.
/// Parameters are numbered by the caller and passed in.
/// </summary>
internal sealed class LineageSql
{
    private readonly SqlDialect _d;
    private readonly SqlCatalog _catalog;
    private readonly string _table;
    private readonly string _join;

    public LineageSql(SqlDialect dialect, SqlCatalog catalog)
    {
        _d = dialect;
        _catalog = catalog;
        _table = dialect.LineageTable;
        _join = dialect.OrderedJoin;
        var columns = $"({Q("kind")}, {Q("id")}, {Q("hop")}, {Q("is_end")})";
        InsertVisits = $"INSERT INTO {_table} {columns}";
        ClearVisits = $"DELETE FROM {_table}";
        DropEnds = $"DELETE FROM {_table} WHERE {Q("is_end")} = 1";
        SelectVisits = $"SELECT {Q("kind")}, {Q("id")}, {Q("hop")}, {Q("is_end")} FROM {_table} WHERE {Q("kind")} < 2 ORDER BY {Q("hop")}, {Q("kind")}, {Q("id")}";
        SelectAttributions = $"""
            SELECT m.{Q("context_id")}, m.{Q("artifact_id")} FROM {_table} AS v {_join} {T("Attribution")} AS m ON m.{Q("artifact_id")} = v.{Q("id")}
            WHERE v.{Q("kind")} = 0 ORDER BY m.{Q("artifact_id")}, m.{Q("context_id")}
            """;
        SelectAssociations = $"""
            SELECT m.{Q("context_id")}, m.{Q("execution_id")} FROM {_table} AS v {_join} {T("Association")} AS m ON m.{Q("execution_id")} = v.{Q("id")}
            WHERE v.{Q("kind")} = 1 ORDER BY m.{Q("execution_id")}, m.{Q("context_id")}
            """;
        AddContexts = dialect.InsertOrIgnore($"""
            {InsertVisits}
            SELECT 2, m.{Q("context_id")}, -1, 0 FROM {_table} AS v {_join} {T("Attribution")} AS m ON m.{Q("artifact_id")} = v.{Q("id")} WHERE v.{Q("kind")} = 0
            UNION
            SELECT 2, m.{Q("context_id")}, -1, 0 FROM {_table} AS v {_join} {T("Association")} AS m ON m.{Q("execution_id")} = v.{Q("id")} WHERE v.{Q("kind")} = 1
            """, string.Empty);
    }

    private string InsertVisits { get; }

    public IReadOnlyList<string> CreateVisitTable => _d.CreateLineageTable;

    /// <summary>Empties the temporary table.</summary>
    public string ClearVisits { get; }

    /// <summary>Deletes the nodes that matched an ending filter.</summary>
    public string DropEnds { get; }

    /// <summary>Selects kind, id, hop, is_end of the artifacts and executions, by hop, kind and id.</summary>
    public string SelectVisits { get; }

    /// <summary>Selects context_id, artifact_id of the attributions of the table's artifacts.</summary>
    public string SelectAttributions { get; }

    /// <summary>Selects context_id, execution_id of the associations of the table's executions.</summary>
    public string SelectAssociations { get; }

    /// <summary>Inserts the contexts of the table's artifacts and executions as kind 2.</summary>
    public string AddContexts { get; }

    /// <summary>An expression that is 1 when the node of <paramref name="kind"/> whose id is <paramref name="idExpression"/> satisfies <paramref name="condition"/> (written on alias <c>lend</c>), else 0.</summary>
    public string EndCheck(NodeKind kind, string idExpression, string condition) =>
        $"CASE WHEN EXISTS (SELECT 1 FROM {_catalog.Node(kind).Table} AS lend WHERE lend.{Q("id")} = {idExpression} AND ({condition})) THEN 1 ELSE 0 END";

    /// <summary>Inserts the nodes of <paramref name="kind"/> satisfying <paramref name="condition"/> (on alias <c>n</c>) at hop 0; <paramref name="endCheck"/> reads <c>n."id"</c>.</summary>
    public string SeedByFilter(NodeKind kind, string condition, string endCheck) => _d.InsertOrIgnore($"""
        {InsertVisits}
        SELECT {(int)kind}, n.{Q("id")}, 0, {endCheck} FROM {_catalog.Node(kind).Table} AS n WHERE ({condition})
        """, string.Empty);

    /// <summary>Inserts the node of <paramref name="kind"/> whose id is <paramref name="idParameter"/> at hop 0, when it exists.</summary>
    public string SeedById(NodeKind kind, string idParameter, string endCheck) => _d.InsertOrIgnore($"""
        {InsertVisits}
        SELECT {(int)kind}, n.{Q("id")}, 0, {endCheck} FROM {_catalog.Node(kind).Table} AS n WHERE n.{Q("id")} = {idParameter}
        """, string.Empty);

    /// <summary>
    /// Inserts, at hop <paramref name="nextParameter"/>, the nodes one event away from the unended nodes at hop
    /// <paramref name="hopParameter"/> that are not in the table yet: executions over events of
    /// <paramref name="fromArtifactTypes"/> of those artifacts, artifacts over events of <paramref name="fromExecutionTypes"/>
    /// of those executions (an empty list leaves that branch out). The end checks read <c>ev."execution_id"</c> and
    /// <c>ev."artifact_id"</c>. Reports the number of rows inserted.
    /// </summary>
    public string Expand(string hopParameter, string nextParameter, IReadOnlyList<int> fromArtifactTypes, IReadOnlyList<int> fromExecutionTypes, string executionEndCheck, string artifactEndCheck)
    {
        var branches = new List<string>(2);
        if (fromArtifactTypes.Count > 0)
        {
            branches.Add($"""
                SELECT 1, ev.{Q("execution_id")}, {nextParameter}, {executionEndCheck}
                FROM {_table} AS v {_join} {T("Event")} AS ev ON ev.{Q("artifact_id")} = v.{Q("id")}
                WHERE v.{Q("hop")} = {hopParameter} AND v.{Q("kind")} = 0 AND v.{Q("is_end")} = 0 AND ev.{Q("type")} IN ({string.Join(", ", fromArtifactTypes)})
                """);
        }

        if (fromExecutionTypes.Count > 0)
        {
            branches.Add($"""
                SELECT 0, ev.{Q("artifact_id")}, {nextParameter}, {artifactEndCheck}
                FROM {_table} AS v {_join} {T("Event")} AS ev ON ev.{Q("execution_id")} = v.{Q("id")}
                WHERE v.{Q("hop")} = {hopParameter} AND v.{Q("kind")} = 1 AND v.{Q("is_end")} = 0 AND ev.{Q("type")} IN ({string.Join(", ", fromExecutionTypes)})
                """);
        }

        return _d.InsertOrIgnore($"""
            {InsertVisits}
            {string.Join("\nUNION ALL\n", branches)}
            """, string.Empty);
    }

    /// <summary>
    /// Selects id, artifact_id, execution_id, type, milliseconds_since_epoch, then is_index_step, step_index, step_key
    /// of each path step (NULL for an event without a path), of the events between two nodes of the table crossed from
    /// an unended node at a hop below <paramref name="maxHopParameter"/>; by event id, each event's steps in order.
    /// Unless <paramref name="checkOtherEnd"/>, the other end need not be checked: every node one hop from an expanded
    /// node is in the table when no ending node was dropped.
    /// </summary>
    public string SelectEvents(string maxHopParameter, IReadOnlyList<int> fromArtifactTypes, IReadOnlyList<int> fromExecutionTypes, bool checkOtherEnd) => $"""
        SELECT x.{Q("id")}, x.{Q("artifact_id")}, x.{Q("execution_id")}, x.{Q("type")}, x.{Q("milliseconds_since_epoch")}, p.{Q("is_index_step")}, p.{Q("step_index")}, p.{Q("step_key")}
        FROM ({CrossedEvents(maxHopParameter, fromArtifactTypes, fromExecutionTypes, checkOtherEnd)}) AS x LEFT JOIN {_d.EventPathSource} AS p ON p.{Q("event_id")} = x.{Q("id")}
        ORDER BY x.{Q("id")}, {_d.EventPathOrder("p")}
        """;

    /// <summary>Selects the rows of the table's nodes of <paramref name="kind"/>: id, type_id, type name, name, external_id, uri, state, create and update time; by id.</summary>
    public string SelectNodes(NodeKind kind)
    {
        var node = _catalog.Node(kind);
        return $"""
            SELECT {node.SelectColumns}
            FROM {_table} AS v {_join} {node.FromWithAlias} ON n.{Q("id")} = v.{Q("id")}
            {node.TypeJoin}
            WHERE v.{Q("kind")} = {(int)kind} ORDER BY n.{Q("id")}
            """;
    }

    /// <summary>Selects the property rows of the table's nodes of <paramref name="kind"/>: owner id, name, is_custom_property, then the value columns.</summary>
    public string SelectProperties(NodeKind kind)
    {
        var node = _catalog.Node(kind);
        return $"""
            SELECT p.{node.PropertyOwner}, p.{Q("name")}, p.{Q("is_custom_property")}, p.{Q("int_value")}, p.{Q("double_value")}, p.{Q("string_value")}, p.{Q("proto_value")}, p.{Q("bool_value")}
            FROM {_table} AS v {_join} {node.PropertyTable} AS p ON p.{node.PropertyOwner} = v.{Q("id")}
            WHERE v.{Q("kind")} = {(int)kind}
            """;
    }

    private string Q(string identifier) => _d.Quote(identifier);

    private string T(string table) => _d.Table(table);

    // An event is crossed when one end was expanded (unended, below the hop limit) in a direction the query
    // follows and the other end was kept.
    private string CrossedEvents(string maxHopParameter, IReadOnlyList<int> fromArtifactTypes, IReadOnlyList<int> fromExecutionTypes, bool checkOtherEnd)
    {
        var columns = $"ev.{Q("id")}, ev.{Q("artifact_id")}, ev.{Q("execution_id")}, ev.{Q("type")}, ev.{Q("milliseconds_since_epoch")}";
        var branches = new List<string>(2);
        if (fromArtifactTypes.Count > 0)
        {
            branches.Add($"""
                SELECT {columns}
                FROM {_table} AS va {_join} {T("Event")} AS ev ON ev.{Q("artifact_id")} = va.{Q("id")}
                {(checkOtherEnd ? $"{_join} {_table} AS vx ON vx.{Q("kind")} = 1 AND vx.{Q("id")} = ev.{Q("execution_id")}" : string.Empty)}
                WHERE va.{Q("kind")} = 0 AND va.{Q("is_end")} = 0 AND va.{Q("hop")} < {maxHopParameter} AND ev.{Q("type")} IN ({string.Join(", ", fromArtifactTypes)})
                """);
        }

        if (fromExecutionTypes.Count > 0)
        {
            branches.Add($"""
                SELECT {columns}
                FROM {_table} AS vx {_join} {T("Event")} AS ev ON ev.{Q("execution_id")} = vx.{Q("id")}
                {(checkOtherEnd ? $"{_join} {_table} AS va ON va.{Q("kind")} = 0 AND va.{Q("id")} = ev.{Q("artifact_id")}" : string.Empty)}
                WHERE vx.{Q("kind")} = 1 AND vx.{Q("is_end")} = 0 AND vx.{Q("hop")} < {maxHopParameter} AND ev.{Q("type")} IN ({string.Join(", ", fromExecutionTypes)})
                """);
        }

        // An event can be crossed from both ends only when its type leads on from both; then duplicates go.
        var both = fromArtifactTypes.Intersect(fromExecutionTypes).Any();
        return branches.Count == 0 ? $"SELECT {columns} FROM {T("Event")} AS ev WHERE 1 = 0" : string.Join(both ? "\nUNION\n" : "\nUNION ALL\n", branches);
    }
}
