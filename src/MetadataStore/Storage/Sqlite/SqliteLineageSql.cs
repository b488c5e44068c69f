namespace MetadataStore.Storage.Sqlite;

/// <summary>
/// SQLite's lineage SQL (see <see cref="ILineageDialect"/>). The reached nodes live in the connection's temporary
/// table <c>mds_lineage</c>; joins start from it with CROSS JOIN, which makes SQLite keep that order, so each hop
/// reads only the events of the frontier through MLMD's event indexes whatever the size of the store.
/// </summary>
internal sealed class SqliteLineageSql : ILineageDialect
{
    public static readonly SqliteLineageSql Instance = new();

    private const string Table = "temp.\"mds_lineage\"";

    private SqliteLineageSql()
    {
    }

    public IReadOnlyList<string> CreateVisitTable { get; } =
    [
        """
        CREATE TEMP TABLE IF NOT EXISTS "mds_lineage" (
          "kind" INTEGER NOT NULL, "id" INTEGER NOT NULL, "hop" INTEGER NOT NULL, "is_end" INTEGER NOT NULL,
          PRIMARY KEY ("kind", "id")
        ) WITHOUT ROWID;
        """,
        """CREATE INDEX IF NOT EXISTS temp."mds_lineage_hop" ON "mds_lineage" ("hop", "kind");""",
    ];

    public string ClearVisits => $"DELETE FROM {Table};";

    public string DropEnds => $"""DELETE FROM {Table} WHERE "is_end" = 1;""";

    public string SelectVisits => $"""SELECT "kind", "id", "hop", "is_end" FROM {Table} WHERE "kind" < 2 ORDER BY "hop", "kind", "id";""";

    public string SelectAttributions => $"""
        SELECT m."context_id", m."artifact_id" FROM {Table} AS v CROSS JOIN "Attribution" AS m ON m."artifact_id" = v."id"
        WHERE v."kind" = 0 ORDER BY m."artifact_id", m."context_id";
        """;

    public string SelectAssociations => $"""
        SELECT m."context_id", m."execution_id" FROM {Table} AS v CROSS JOIN "Association" AS m ON m."execution_id" = v."id"
        WHERE v."kind" = 1 ORDER BY m."execution_id", m."context_id";
        """;

    public string AddContexts => $"""
        INSERT INTO {Table} ("kind", "id", "hop", "is_end")
        SELECT 2, m."context_id", -1, 0 FROM {Table} AS v CROSS JOIN "Attribution" AS m ON m."artifact_id" = v."id" WHERE v."kind" = 0
        UNION
        SELECT 2, m."context_id", -1, 0 FROM {Table} AS v CROSS JOIN "Association" AS m ON m."execution_id" = v."id" WHERE v."kind" = 1
        ON CONFLICT DO NOTHING;
        """;

    public string EndCheck(NodeKind kind, string idExpression, string condition) =>
        $"""CASE WHEN EXISTS (SELECT 1 FROM "{SqliteNodeSql.For(kind).Table}" AS lend WHERE lend."id" = {idExpression} AND ({condition})) THEN 1 ELSE 0 END""";

    public string SeedByFilter(NodeKind kind, string condition, string endCheck) => $"""
        INSERT INTO {Table} ("kind", "id", "hop", "is_end")
        SELECT {(int)kind}, n."id", 0, {endCheck} FROM "{SqliteNodeSql.For(kind).Table}" AS n WHERE ({condition})
        ON CONFLICT DO NOTHING;
        """;

    public string SeedById(NodeKind kind, string idParameter, string endCheck) => $"""
        INSERT INTO {Table} ("kind", "id", "hop", "is_end")
        SELECT {(int)kind}, n."id", 0, {endCheck} FROM "{SqliteNodeSql.For(kind).Table}" AS n WHERE n."id" = {idParameter}
        ON CONFLICT DO NOTHING;
        """;

    public string Expand(string hopParameter, string nextParameter, IReadOnlyList<int> fromArtifactTypes, IReadOnlyList<int> fromExecutionTypes, string executionEndCheck, string artifactEndCheck)
    {
        var branches = new List<string>(2);
        if (fromArtifactTypes.Count > 0)
        {
            branches.Add($"""
                SELECT 1, ev."execution_id", {nextParameter}, {executionEndCheck}
                FROM {Table} AS v CROSS JOIN "Event" AS ev ON ev."artifact_id" = v."id"
                WHERE v."hop" = {hopParameter} AND v."kind" = 0 AND v."is_end" = 0 AND ev."type" IN ({string.Join(", ", fromArtifactTypes)})
                """);
        }

        if (fromExecutionTypes.Count > 0)
        {
            branches.Add($"""
                SELECT 0, ev."artifact_id", {nextParameter}, {artifactEndCheck}
                FROM {Table} AS v CROSS JOIN "Event" AS ev ON ev."execution_id" = v."id"
                WHERE v."hop" = {hopParameter} AND v."kind" = 1 AND v."is_end" = 0 AND ev."type" IN ({string.Join(", ", fromExecutionTypes)})
                """);
        }

        return $"""
            INSERT INTO {Table} ("kind", "id", "hop", "is_end")
            {string.Join("\nUNION ALL\n", branches)}
            ON CONFLICT DO NOTHING;
            """;
    }

    public string SelectEvents(string maxHopParameter, IReadOnlyList<int> fromArtifactTypes, IReadOnlyList<int> fromExecutionTypes, bool checkOtherEnd) => $"""
        SELECT x."id", x."artifact_id", x."execution_id", x."type", x."milliseconds_since_epoch", p."is_index_step", p."step_index", p."step_key"
        FROM ({CrossedEvents(maxHopParameter, fromArtifactTypes, fromExecutionTypes, checkOtherEnd)}) AS x LEFT JOIN "EventPath" AS p ON p."event_id" = x."id"
        ORDER BY x."id", p."rowid";
        """;

    public string SelectNodes(NodeKind kind)
    {
        var node = SqliteNodeSql.For(kind);
        return $"""
            SELECT {node.SelectColumns}
            FROM {Table} AS v CROSS JOIN {node.FromWithAlias} ON n."id" = v."id"
            {node.TypeJoin}
            WHERE v."kind" = {(int)kind} ORDER BY n."id";
            """;
    }

    public string SelectProperties(NodeKind kind)
    {
        var node = SqliteNodeSql.For(kind);
        return $"""
            SELECT p."{node.PropertyOwner}", p."name", p."is_custom_property", p."int_value", p."double_value", p."string_value", p."proto_value", p."bool_value"
            FROM {Table} AS v CROSS JOIN "{node.PropertyTable}" AS p ON p."{node.PropertyOwner}" = v."id"
            WHERE v."kind" = {(int)kind};
            """;
    }

    // An event is crossed when one end was expanded (unended, below the hop limit) in a direction the query
    // follows and the other end was kept.
    private static string CrossedEvents(string maxHopParameter, IReadOnlyList<int> fromArtifactTypes, IReadOnlyList<int> fromExecutionTypes, bool checkOtherEnd)
    {
        const string Columns = """ev."id", ev."artifact_id", ev."execution_id", ev."type", ev."milliseconds_since_epoch" """;
        var branches = new List<string>(2);
        if (fromArtifactTypes.Count > 0)
        {
            branches.Add($"""
                SELECT {Columns}
                FROM {Table} AS va CROSS JOIN "Event" AS ev ON ev."artifact_id" = va."id"
                {(checkOtherEnd ? $"""CROSS JOIN {Table} AS vx ON vx."kind" = 1 AND vx."id" = ev."execution_id" """ : string.Empty)}
                WHERE va."kind" = 0 AND va."is_end" = 0 AND va."hop" < {maxHopParameter} AND ev."type" IN ({string.Join(", ", fromArtifactTypes)})
                """);
        }

        if (fromExecutionTypes.Count > 0)
        {
            branches.Add($"""
                SELECT {Columns}
                FROM {Table} AS vx CROSS JOIN "Event" AS ev ON ev."execution_id" = vx."id"
                {(checkOtherEnd ? $"""CROSS JOIN {Table} AS va ON va."kind" = 0 AND va."id" = ev."artifact_id" """ : string.Empty)}
                WHERE vx."kind" = 1 AND vx."is_end" = 0 AND vx."hop" < {maxHopParameter} AND ev."type" IN ({string.Join(", ", fromExecutionTypes)})
                """);
        }

        // An event can be crossed from both ends only when its type leads on from both; then duplicates go.
        var both = fromArtifactTypes.Intersect(fromExecutionTypes).Any();
        return branches.Count == 0 ? $"SELECT {Columns} FROM \"Event\" AS ev WHERE 0" : string.Join(both ? "\nUNION\n" : "\nUNION ALL\n", branches);
    }
}
