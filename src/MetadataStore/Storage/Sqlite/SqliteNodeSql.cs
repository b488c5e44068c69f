namespace MetadataStore.Storage.Sqlite;

/// <summary>
/// The statements for one node table (<c>Artifact</c>, <c>Execution</c> or <c>Context</c>) and its property table.
/// Each string is built once, so the statement cache can key on the string's identity. <c>@@IN@@</c> marks an id list.
/// Node rows are read as: id, type_id, type name, name, external_id, uri, state, create time, update time.
/// </summary>
internal sealed class SqliteNodeSql
{
    public static readonly SqliteNodeSql Artifact = new(NodeKind.Artifact);
    public static readonly SqliteNodeSql Execution = new(NodeKind.Execution);
    public static readonly SqliteNodeSql Context = new(NodeKind.Context);

    private SqliteNodeSql(NodeKind kind)
    {
        Kind = kind;
        Table = kind switch
        {
            NodeKind.Artifact => "Artifact",
            NodeKind.Execution => "Execution",
            _ => "Context",
        };
        PropertyTable = Table + "Property";
        PropertyOwner = kind switch
        {
            NodeKind.Artifact => "artifact_id",
            NodeKind.Execution => "execution_id",
            _ => "context_id",
        };

        var uriAndState = kind switch
        {
            NodeKind.Artifact => "n.\"uri\", n.\"state\"",
            NodeKind.Execution => "NULL, n.\"last_known_state\"",
            _ => "NULL, NULL",
        };
        SelectColumns = "n.\"id\", n.\"type_id\", t.\"name\", n.\"name\", n.\"external_id\", " + uriAndState
            + ", n.\"create_time_since_epoch\", n.\"last_update_time_since_epoch\"";
        FromWithAlias = $"\"{Table}\" AS n";
        TypeJoin = "LEFT JOIN \"Type\" AS t ON t.\"id\" = n.\"type_id\"";

        var select = $"SELECT {SelectColumns}\nFROM {FromWithAlias}\n{TypeJoin}\n";
        SelectByIds = select + """WHERE n."id" IN (@@IN@@) ORDER BY n."id";""";
        SelectByExternalIds = select + """WHERE n."external_id" IN (@@IN@@) ORDER BY n."id";""";
        SelectByUris = select + """WHERE n."uri" IN (@@IN@@) ORDER BY n."id";""";
        SelectByTypeAndName = select + """WHERE n."type_id" = $1 AND n."name" = $2 ORDER BY n."id";""";
        SelectExistingIds = $"""SELECT "id" FROM "{Table}" WHERE "id" IN (@@IN@@);""";

        (Insert, InsertParameterCount, Update, UpdateParameterCount) = kind switch
        {
            NodeKind.Artifact => (
                """
                INSERT INTO "Artifact" ("type_id", "uri", "state", "name", "external_id", "create_time_since_epoch", "last_update_time_since_epoch")
                VALUES ($1, $2, $3, $4, $5, $6, $7);
                """, 7,
                """
                UPDATE "Artifact" SET "uri" = $2, "state" = $3, "name" = $4, "external_id" = $5, "last_update_time_since_epoch" = $6
                WHERE "id" = $1;
                """, 6),
            NodeKind.Execution => (
                """
                INSERT INTO "Execution" ("type_id", "last_known_state", "name", "external_id", "create_time_since_epoch", "last_update_time_since_epoch")
                VALUES ($1, $2, $3, $4, $5, $6);
                """, 6,
                """
                UPDATE "Execution" SET "last_known_state" = $2, "name" = $3, "external_id" = $4, "last_update_time_since_epoch" = $5
                WHERE "id" = $1;
                """, 5),
            _ => (
                """
                INSERT INTO "Context" ("type_id", "name", "external_id", "create_time_since_epoch", "last_update_time_since_epoch")
                VALUES ($1, $2, $3, $4, $5);
                """, 5,
                """
                UPDATE "Context" SET "name" = $2, "external_id" = $3, "last_update_time_since_epoch" = $4
                WHERE "id" = $1;
                """, 4),
        };

        SelectProperties = $"""
            SELECT "{PropertyOwner}", "name", "is_custom_property", "int_value", "double_value", "string_value", "proto_value", "bool_value"
            FROM "{PropertyTable}" WHERE "{PropertyOwner}" IN (@@IN@@);
            """;

        // One insert per value column binds 4 parameters instead of 8; binding is a per-parameter cost in the provider.
        InsertPropertyInto = new string[5];
        foreach (var column in (ReadOnlySpan<PropertyColumn>)[PropertyColumn.Int, PropertyColumn.Double, PropertyColumn.String, PropertyColumn.Proto, PropertyColumn.Bool])
        {
            InsertPropertyInto[(int)column] = $"""
                INSERT INTO "{PropertyTable}" ("{PropertyOwner}", "name", "is_custom_property", "{PropertyCodec.ColumnName(column)}")
                VALUES ($1, $2, $3, $4);
                """;
        }

        UpdateProperty = $"""
            UPDATE "{PropertyTable}"
            SET "int_value" = $4, "double_value" = $5, "string_value" = $6, "proto_value" = $7, "bool_value" = $8, "byte_value" = NULL
            WHERE "{PropertyOwner}" = $1 AND "name" = $2 AND "is_custom_property" = $3;
            """;
        DeleteProperty = $"""
            DELETE FROM "{PropertyTable}" WHERE "{PropertyOwner}" = $1 AND "name" = $2 AND "is_custom_property" = $3;
            """;
    }

    public NodeKind Kind { get; }

    public string Table { get; }

    public string PropertyTable { get; }

    public string PropertyOwner { get; }

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

    public static SqliteNodeSql For(NodeKind kind) => kind switch
    {
        NodeKind.Artifact => Artifact,
        NodeKind.Execution => Execution,
        NodeKind.Context => Context,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
