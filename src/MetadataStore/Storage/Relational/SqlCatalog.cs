using System.Collections.Concurrent;

namespace MetadataStore.Storage.Relational;

/// <summary>
/// Every fixed statement of the relational engine, written once in terms of a <see cref="SqlDialect"/> and built once
/// per dialect. Each string is built once, so a session's statement cache keys on the string's identity.
/// Parameters are <c>$1</c>..<c>$n</c> in the dialect's spelling; <see cref="InMarker"/> marks an <c>IN</c> list whose
/// parameters follow the fixed ones.
/// </summary>
internal sealed class SqlCatalog
{
    /// <summary>Stands for the parameters of an <c>IN</c> list, expanded per chunk size.</summary>
    public const string InMarker = "@@IN@@";

    /// <summary>The VALUES rows of a multi-row insert: <paramref name="rows"/> rows of <paramref name="perRow"/> parameters, numbered on.</summary>
    public static string Rows(SqlDialect dialect, int rows, int perRow) =>
        string.Join(",\n", Enumerable.Range(0, rows).Select(r =>
            "(" + string.Join(", ", Enumerable.Range((r * perRow) + 1, perRow).Select(dialect.Parameter)) + ")"));

    public SqlCatalog(SqlDialect dialect)
    {
        Dialect = dialect;
        Types = new TypeSql(dialect);
        Nodes = [new NodeSql(dialect, NodeKind.Artifact), new NodeSql(dialect, NodeKind.Execution), new NodeSql(dialect, NodeKind.Context)];
        Events = new EventSql(dialect);
        Edges = new EdgeSql(dialect);
        Lineage = new LineageSql(dialect, this);
    }

    public SqlDialect Dialect { get; }

    public TypeSql Types { get; }

    public EventSql Events { get; }

    public EdgeSql Edges { get; }

    public LineageSql Lineage { get; }

    private NodeSql[] Nodes { get; }

    public NodeSql Node(NodeKind kind) => Nodes[(int)kind];
}

/// <summary>Statements on <c>Type</c>, <c>TypeProperty</c> and <c>ParentType</c>. Type rows are read as id, name, version, type_kind, description, external_id, input_type, output_type.</summary>
internal sealed class TypeSql
{
    public TypeSql(SqlDialect d)
    {
        string Q(string name) => d.Quote(name);
        string P(int ordinal) => d.Parameter(ordinal);
        var type = d.Table("Type");
        var select = $"SELECT {Q("id")}, {Q("name")}, {Q("version")}, {Q("type_kind")}, {Q("description")}, {Q("external_id")}, {Q("input_type")}, {Q("output_type")} FROM {type} ";
        SelectAll = select + $"WHERE {Q("type_kind")} = {P(1)} ORDER BY {Q("id")}";
        SelectByIds = select + $"WHERE {Q("type_kind")} = {P(1)} AND {Q("id")} IN ({SqlCatalog.InMarker}) ORDER BY {Q("id")}";
        SelectByExternalIds = select + $"WHERE {Q("type_kind")} = {P(1)} AND {Q("external_id")} IN ({SqlCatalog.InMarker}) ORDER BY {Q("id")}";
        SelectByName = select + $"WHERE {Q("type_kind")} = {P(1)} AND {Q("name")} = {P(2)} AND {Q("version")} IS NULL ORDER BY {Q("id")}";
        SelectByNameAndVersion = select + $"WHERE {Q("type_kind")} = {P(1)} AND {Q("name")} = {P(2)} AND {Q("version")} = {P(3)} ORDER BY {Q("id")}";
        SelectIdsByNames = $"SELECT {Q("id")} FROM {type} WHERE {Q("type_kind")} = {P(1)} AND {Q("name")} IN ({SqlCatalog.InMarker}) ORDER BY {Q("id")}";
        SelectProperties = $"SELECT {Q("type_id")}, {Q("name")}, {Q("data_type")} FROM {d.Table("TypeProperty")} WHERE {Q("type_id")} IN ({SqlCatalog.InMarker})";
        SelectBaseTypes = $"""
            SELECT p.{Q("type_id")}, b.{Q("name")} FROM {d.Table("ParentType")} AS p JOIN {type} AS b ON b.{Q("id")} = p.{Q("parent_type_id")}
            WHERE p.{Q("type_id")} IN ({SqlCatalog.InMarker}) ORDER BY p.{Q("type_id")}, p.{Q("parent_type_id")}
            """;
        Insert = d.InsertReturningId($"""
            INSERT INTO {type} ({Q("name")}, {Q("type_kind")}, {Q("version")}, {Q("description")}, {Q("input_type")}, {Q("output_type")}, {Q("external_id")})
            VALUES ({P(1)}, {P(2)}, {P(3)}, {P(4)}, {P(5)}, {P(6)}, {P(7)})
            """);
        UpdateExternalId = $"UPDATE {type} SET {Q("external_id")} = {P(2)} WHERE {Q("id")} = {P(1)}";
        InsertProperty = $"INSERT INTO {d.Table("TypeProperty")} ({Q("type_id")}, {Q("name")}, {Q("data_type")}) VALUES ({P(1)}, {P(2)}, {P(3)})";
        InsertBaseType = $"""
            INSERT INTO {d.Table("ParentType")} ({Q("type_id")}, {Q("parent_type_id")})
            SELECT {P(1)}, {Q("id")} FROM {type} WHERE {Q("name")} = {P(2)} AND {Q("type_kind")} = {P(3)} AND {Q("version")} IS NULL ORDER BY {Q("id")} LIMIT 1
            """;
    }

    public string SelectAll { get; }

    public string SelectByIds { get; }

    public string SelectByExternalIds { get; }

    public string SelectByName { get; }

    public string SelectByNameAndVersion { get; }

    public string SelectIdsByNames { get; }

    public string SelectProperties { get; }

    public string SelectBaseTypes { get; }

    public string Insert { get; }

    public string UpdateExternalId { get; }

    public string InsertProperty { get; }

    public string InsertBaseType { get; }
}

/// <summary>
/// The statements for one node table (<c>Artifact</c>, <c>Execution</c> or <c>Context</c>) and its property table.
/// Node rows are read as: id, type_id, type name, name, external_id, uri, state, create time, update time; property
/// rows as owner id, name, is_custom_property, int, double, string, proto, bool value.
/// </summary>
internal sealed class NodeSql
{
    public NodeSql(SqlDialect d, NodeKind kind)
    {
        string Q(string name) => d.Quote(name);
        string P(int ordinal) => d.Parameter(ordinal);
        Kind = kind;
        TableName = kind switch
        {
            NodeKind.Artifact => "Artifact",
            NodeKind.Execution => "Execution",
            _ => "Context",
        };
        PropertyTableName = TableName + "Property";
        Table = d.Table(TableName);
        PropertyTable = d.Table(PropertyTableName);
        OwnerColumn = kind switch
        {
            NodeKind.Artifact => "artifact_id",
            NodeKind.Execution => "execution_id",
            _ => "context_id",
        };
        PropertyOwner = Q(OwnerColumn);

        var uriAndState = kind switch
        {
            NodeKind.Artifact => $"n.{Q("uri")}, n.{Q("state")}",
            NodeKind.Execution => $"NULL, n.{Q("last_known_state")}",
            _ => "NULL, NULL",
        };
        SelectColumns = $"n.{Q("id")}, n.{Q("type_id")}, t.{Q("name")}, n.{Q("name")}, n.{Q("external_id")}, {uriAndState}, n.{Q("create_time_since_epoch")}, n.{Q("last_update_time_since_epoch")}";
        FromWithAlias = $"{Table} AS n";
        TypeJoin = $"LEFT JOIN {d.Table("Type")} AS t ON t.{Q("id")} = n.{Q("type_id")}";

        var select = $"SELECT {SelectColumns}\nFROM {FromWithAlias}\n{TypeJoin}\n";
        SelectByIds = select + $"WHERE n.{Q("id")} IN ({SqlCatalog.InMarker}) ORDER BY n.{Q("id")}";
        SelectByExternalIds = select + $"WHERE n.{Q("external_id")} IN ({SqlCatalog.InMarker}) ORDER BY n.{Q("id")}";
        SelectByUris = select + $"WHERE n.{Q("uri")} IN ({SqlCatalog.InMarker}) ORDER BY n.{Q("id")}";
        SelectByTypeAndName = select + $"WHERE n.{Q("type_id")} = {P(1)} AND n.{Q("name")} = {P(2)} ORDER BY n.{Q("id")}";
        SelectExistingIds = $"SELECT {Q("id")} FROM {Table} WHERE {Q("id")} IN ({SqlCatalog.InMarker})";

        // Insert and update share the attribute columns, in this order, after type_id (insert) or id (update).
        var attributes = kind switch
        {
            NodeKind.Artifact => new[] { "uri", "state", "name", "external_id" },
            NodeKind.Execution => ["last_known_state", "name", "external_id"],
            _ => ["name", "external_id"],
        };
        var insertColumns = new List<string> { "type_id" };
        insertColumns.AddRange(attributes);
        insertColumns.Add("create_time_since_epoch");
        insertColumns.Add("last_update_time_since_epoch");
        InsertParameterCount = insertColumns.Count;
        _dialect = d;
        _insertColumns = insertColumns;
        Insert = d.InsertReturningId(
            $"INSERT INTO {Table} ({string.Join(", ", insertColumns.Select(Q))})\nVALUES ({string.Join(", ", Enumerable.Range(1, insertColumns.Count).Select(P))})");

        var sets = attributes.Select((column, i) => $"{Q(column)} = {P(i + 2)}").ToList();
        sets.Add($"{Q("last_update_time_since_epoch")} = {P(attributes.Length + 2)}");
        UpdateParameterCount = attributes.Length + 2;
        Update = $"UPDATE {Table} SET {string.Join(", ", sets)}\nWHERE {Q("id")} = {P(1)}";

        PropertyColumns = $"{Q("name")}, {Q("is_custom_property")}, {Q("int_value")}, {Q("double_value")}, {Q("string_value")}, {Q("proto_value")}, {Q("bool_value")}";
        SelectProperties = $"SELECT {PropertyOwner}, {PropertyColumns}\nFROM {PropertyTable} WHERE {PropertyOwner} IN ({SqlCatalog.InMarker})";

        // One insert per value column binds 4 parameters instead of 8; binding is a per-parameter cost in the provider.
        InsertPropertyInto = new string[5];
        foreach (var column in (ReadOnlySpan<PropertyColumn>)[PropertyColumn.Int, PropertyColumn.Double, PropertyColumn.String, PropertyColumn.Proto, PropertyColumn.Bool])
        {
            InsertPropertyInto[(int)column] = $"INSERT INTO {PropertyTable} ({PropertyOwner}, {Q("name")}, {Q("is_custom_property")}, {Q(StoredValue.ColumnName(column))})\nVALUES ({P(1)}, {P(2)}, {P(3)}, {P(4)})";
        }

        var key = $"{PropertyOwner} = {P(1)} AND {Q("name")} = {P(2)} AND {Q("is_custom_property")} = {P(3)}";
        UpdateProperty = $"""
            UPDATE {PropertyTable}
            SET {Q("int_value")} = {P(4)}, {Q("double_value")} = {P(5)}, {Q("string_value")} = {P(6)}, {Q("proto_value")} = {P(7)}, {Q("bool_value")} = {P(8)}, {Q("byte_value")} = NULL
            WHERE {key}
            """;
        DeleteProperty = $"DELETE FROM {PropertyTable} WHERE {key}";
    }

    private readonly SqlDialect _dialect;
    private readonly List<string> _insertColumns;
    private string? _insertFromArrays;
    private string? _insertPropertiesFromArrays;
    private readonly ConcurrentDictionary<int, string> _insertRows = new();
    private readonly ConcurrentDictionary<int, string> _insertPropertyRows = new();

    public NodeKind Kind { get; }

    /// <summary>
    /// Inserts <paramref name="rows"/> node rows with their ids given (id, then the insert's parameters, per row),
    /// skipping a row a unique key refuses, and returns the ids of the rows written. The same text for the same
    /// count, so a session prepares it once.
    /// </summary>
    public string InsertRows(int rows) => _insertRows.GetOrAdd(rows, n =>
    {
        var perRow = _insertColumns.Count + 1;
        var insert = $"INSERT INTO {Table} ({_dialect.Quote("id")}, {string.Join(", ", _insertColumns.Select(_dialect.Quote))})\nVALUES {SqlCatalog.Rows(_dialect, n, perRow)}";
        return _dialect.InsertOrIgnore(insert, string.Empty) + " RETURNING " + _dialect.Quote("id");
    });

    /// <summary>
    /// With <see cref="SqlDialect.InsertsFromArrays"/>: inserts node rows from one array per column (id, then the insert
    /// columns), ignoring rows a unique key refuses and returning the ids written; otherwise null.
    /// </summary>
    public string? InsertFromArrays => !_dialect.InsertsFromArrays ? null : _insertFromArrays ??= _dialect.InsertOrIgnore(
            $"INSERT INTO {Table} ({_dialect.Quote("id")}, {string.Join(", ", _insertColumns.Select(_dialect.Quote))})\nSELECT * FROM {_dialect.UnnestRows([typeof(long), .. _insertColumns.Select(ColumnType)])}",
            string.Empty) + " RETURNING " + _dialect.Quote("id");

    /// <summary>With <see cref="SqlDialect.InsertsFromArrays"/>: inserts property rows from one array per column; otherwise null.</summary>
    public string? InsertPropertiesFromArrays => !_dialect.InsertsFromArrays ? null : _insertPropertiesFromArrays ??= $"INSERT INTO {PropertyTable} ({PropertyOwner}, {PropertyColumns})\nSELECT * FROM {_dialect.UnnestRows([typeof(long), typeof(string), typeof(bool), typeof(long), typeof(double), typeof(string), typeof(byte[]), typeof(bool)])}";

    // MLMD's column types of the insert columns.
    private static Type ColumnType(string column) => column switch
    {
        "type_id" or "create_time_since_epoch" or "last_update_time_since_epoch" => typeof(long),
        "state" or "last_known_state" => typeof(int),
        _ => typeof(string),
    };

    /// <summary>Inserts <paramref name="rows"/> property rows: owner, name, is_custom_property and the five value columns, per row.</summary>
    public string InsertPropertyRows(int rows) => _insertPropertyRows.GetOrAdd(rows, n =>
    {
        return $"INSERT INTO {PropertyTable} ({PropertyOwner}, {PropertyColumns})\nVALUES {SqlCatalog.Rows(_dialect, n, 8)}";
    });

    /// <summary>The MLMD name of the node table, unquoted.</summary>
    public string TableName { get; }

    /// <summary>The MLMD name of the property table, unquoted.</summary>
    public string PropertyTableName { get; }

    /// <summary>The node table as SQL text.</summary>
    public string Table { get; }

    /// <summary>The property table as SQL text.</summary>
    public string PropertyTable { get; }

    /// <summary>The property table's owner column, unquoted.</summary>
    public string OwnerColumn { get; }

    /// <summary>The property table's owner column, quoted.</summary>
    public string PropertyOwner { get; }

    /// <summary>The property columns after the owner: name, is_custom_property, then the five value columns.</summary>
    public string PropertyColumns { get; }

    /// <summary>The node columns, over alias <c>n</c> and the type alias <c>t</c>.</summary>
    public string SelectColumns { get; }

    public string FromWithAlias { get; }

    public string TypeJoin { get; }

    public string SelectByIds { get; }

    public string SelectByExternalIds { get; }

    public string SelectByUris { get; }

    public string SelectByTypeAndName { get; }

    public string SelectExistingIds { get; }

    public string Insert { get; }

    public int InsertParameterCount { get; }

    public string Update { get; }

    public int UpdateParameterCount { get; }

    public string SelectProperties { get; }

    /// <summary>Inserts a property row setting only the given value column, indexed by <see cref="PropertyColumn"/>.</summary>
    public string[] InsertPropertyInto { get; }

    public string UpdateProperty { get; }

    public string DeleteProperty { get; }
}

/// <summary>Statements on <c>Event</c> and <c>EventPath</c>.</summary>
internal sealed class EventSql
{
    public EventSql(SqlDialect d)
    {
        string Q(string name) => d.Quote(name);
        string P(int ordinal) => d.Parameter(ordinal);
        var ev = d.Table("Event");
        var path = d.EventPathSource;
        var insertInto = $"INSERT INTO {ev} ({Q("artifact_id")}, {Q("execution_id")}, {Q("type")}, {Q("milliseconds_since_epoch")}) VALUES ";
        Insert = insertInto + $"({P(1)}, {P(2)}, {P(3)}, {P(4)})";
        _insertRows = n => insertInto + SqlCatalog.Rows(d, n, 4);
        InsertPath = d.InsertEventPathStep;
        var columns = $"SELECT e.{Q("id")}, e.{Q("artifact_id")}, e.{Q("execution_id")}, e.{Q("type")}, e.{Q("milliseconds_since_epoch")} FROM {ev} AS e ";
        SelectByArtifact = columns + $"WHERE e.{Q("artifact_id")} IN ({SqlCatalog.InMarker}) ORDER BY e.{Q("id")}";
        SelectByExecution = columns + $"WHERE e.{Q("execution_id")} IN ({SqlCatalog.InMarker}) ORDER BY e.{Q("id")}";
        var pathColumns = $"SELECT p.{Q("event_id")}, p.{Q("is_index_step")}, p.{Q("step_index")}, p.{Q("step_key")} FROM {path} AS p JOIN {ev} AS e ON e.{Q("id")} = p.{Q("event_id")} ";
        SelectPathsByArtifact = pathColumns + $"WHERE e.{Q("artifact_id")} IN ({SqlCatalog.InMarker}) ORDER BY {d.EventPathOrder("p")}";
        SelectPathsByExecution = pathColumns + $"WHERE e.{Q("execution_id")} IN ({SqlCatalog.InMarker}) ORDER BY {d.EventPathOrder("p")}";
    }

    private readonly Func<int, string> _insertRows;
    private readonly ConcurrentDictionary<int, string> _insertRowsCache = new();

    /// <summary>Inserts an event row (no id read back: its path steps name it by its unique key).</summary>
    public string Insert { get; }

    /// <summary>Inserts <paramref name="rows"/> event rows (artifact, execution, type, time per row).</summary>
    public string InsertRows(int rows) => _insertRowsCache.GetOrAdd(rows, _insertRows);

    public string InsertPath { get; }

    public string SelectByArtifact { get; }

    public string SelectByExecution { get; }

    /// <summary>Steps: event id, is_index_step, step_index, step_key; each event's steps in path order.</summary>
    public string SelectPathsByArtifact { get; }

    public string SelectPathsByExecution { get; }
}

/// <summary>Statements on <c>Attribution</c>, <c>Association</c> and <c>ParentContext</c>.</summary>
internal sealed class EdgeSql
{
    public EdgeSql(SqlDialect d)
    {
        string Q(string name) => d.Quote(name);
        string P(int ordinal) => d.Parameter(ordinal);
        var attribution = d.Table("Attribution");
        var association = d.Table("Association");
        var parent = d.Table("ParentContext");
        InsertAttribution = d.InsertOrIgnore($"INSERT INTO {attribution} ({Q("context_id")}, {Q("artifact_id")}) VALUES ({P(1)}, {P(2)})", $"{Q("context_id")}, {Q("artifact_id")}");
        _attributionRows = n => d.InsertOrIgnore(
            $"INSERT INTO {attribution} ({Q("context_id")}, {Q("artifact_id")}) VALUES {SqlCatalog.Rows(d, n, 2)}",
            $"{Q("context_id")}, {Q("artifact_id")}");
        InsertAssociation = d.InsertOrIgnore($"INSERT INTO {association} ({Q("context_id")}, {Q("execution_id")}) VALUES ({P(1)}, {P(2)})", $"{Q("context_id")}, {Q("execution_id")}");
        SelectAttributedContexts = $"SELECT {Q("context_id")} FROM {attribution} WHERE {Q("artifact_id")} = {P(1)} ORDER BY {Q("context_id")}";
        SelectAssociatedContexts = $"SELECT {Q("context_id")} FROM {association} WHERE {Q("execution_id")} = {P(1)} ORDER BY {Q("context_id")}";
        InsertParentContext = $"INSERT INTO {parent} ({Q("context_id")}, {Q("parent_context_id")}) VALUES ({P(1)}, {P(2)})";
        var order = $"ORDER BY {Q("context_id")}, {Q("parent_context_id")}";
        SelectParentsByChild = $"SELECT {Q("context_id")}, {Q("parent_context_id")} FROM {parent} WHERE {Q("context_id")} IN ({SqlCatalog.InMarker}) {order}";
        SelectParentsByParent = $"SELECT {Q("context_id")}, {Q("parent_context_id")} FROM {parent} WHERE {Q("parent_context_id")} IN ({SqlCatalog.InMarker}) {order}";
    }

    private readonly Func<int, string> _attributionRows;
    private readonly ConcurrentDictionary<int, string> _attributionRowsCache = new();

    public string InsertAttribution { get; }

    /// <summary>Inserts <paramref name="rows"/> attributions (context id, artifact id per row), ignoring those stored.</summary>
    public string InsertAttributionRows(int rows) => _attributionRowsCache.GetOrAdd(rows, _attributionRows);

    public string InsertAssociation { get; }

    public string SelectAttributedContexts { get; }

    public string SelectAssociatedContexts { get; }

    public string InsertParentContext { get; }

    public string SelectParentsByChild { get; }

    public string SelectParentsByParent { get; }
}
