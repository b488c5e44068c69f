using MetadataStore.Query;
using MetadataStore.Storage;
using MetadataStore.Storage.Relational;
using MetadataStore.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace MetadataStore.Tests.Query;

/// <summary>An in-memory SQLite database with MLMD's schema-v10 tables and indexes, to run generated filter SQL against.</summary>
internal sealed class FilterTestDatabase : IDisposable
{
    private static readonly SqliteDialect Dialect = new(null);

    /// <summary>The backend's own DDL, so plans are read on the schema a store really has.</summary>
    private static readonly string Schema = string.Join("\n",
        SqliteSchema.CreateTables, SqliteSchema.CreateIndexes, SqliteSchema.CreateExtraIndexes, SqliteSchema.CreateTypeUniqueIndex, SqliteSchema.InsertVersion);

    public FilterTestDatabase()
    {
        Connection = new SqliteConnection("Data Source=:memory:");
        Connection.Open();
        Execute(Schema);
    }

    public SqliteConnection Connection { get; }

    public void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }

    public long Insert(string sql, params (string Name, object? Value)[] parameters)
    {
        Execute(sql, parameters);
        using SqliteCommand command = Connection.CreateCommand();
        command.CommandText = "SELECT last_insert_rowid()";
        return (long)command.ExecuteScalar()!;
    }

    public long Type(string name, int kind) =>
        Insert("INSERT INTO Type(name, type_kind) VALUES (@n, @k)", ("@n", name), ("@k", kind));

    public long Artifact(long typeId, string? name = null, string? uri = null, int? state = null, long time = 0, string? externalId = null) =>
        Insert("INSERT INTO Artifact(type_id, name, uri, state, external_id, create_time_since_epoch, last_update_time_since_epoch) VALUES (@t, @n, @u, @s, @x, @c, @c)",
            ("@t", typeId), ("@n", name), ("@u", uri), ("@s", state), ("@x", externalId), ("@c", time));

    public long Execution(long typeId, string? name = null, int? state = null, long time = 0) =>
        Insert("INSERT INTO Execution(type_id, name, last_known_state, create_time_since_epoch, last_update_time_since_epoch) VALUES (@t, @n, @s, @c, @c)",
            ("@t", typeId), ("@n", name), ("@s", state), ("@c", time));

    public long Context(long typeId, string name, long time = 0) =>
        Insert("INSERT INTO Context(type_id, name, create_time_since_epoch, last_update_time_since_epoch) VALUES (@t, @n, @c, @c)",
            ("@t", typeId), ("@n", name), ("@c", time));

    public void Property(NodeKind kind, long nodeId, string name, object value, bool custom = false)
    {
        (_, string table, string owner) = TableOf(kind);
        string column = value switch
        {
            long or int => "int_value",
            double => "double_value",
            string => "string_value",
            bool => "bool_value",
            _ => throw new ArgumentOutOfRangeException(nameof(value)),
        };
        Execute($"INSERT INTO {table}({owner}, name, is_custom_property, {column}) VALUES (@o, @n, @c, @v)",
            ("@o", nodeId), ("@n", name), ("@c", custom ? 1 : 0), ("@v", value));
    }

    public void Attribution(long contextId, long artifactId) =>
        Execute("INSERT INTO Attribution(context_id, artifact_id) VALUES (@c, @a)", ("@c", contextId), ("@a", artifactId));

    public void Association(long contextId, long executionId) =>
        Execute("INSERT INTO Association(context_id, execution_id) VALUES (@c, @e)", ("@c", contextId), ("@e", executionId));

    public void ParentContext(long childId, long parentId) =>
        Execute("INSERT INTO ParentContext(context_id, parent_context_id) VALUES (@c, @p)", ("@c", childId), ("@p", parentId));

    public void Event(long artifactId, long executionId, int type, long? time = null) =>
        Execute("INSERT INTO Event(artifact_id, execution_id, type, milliseconds_since_epoch) VALUES (@a, @e, @t, @m)",
            ("@a", artifactId), ("@e", executionId), ("@t", type), ("@m", time));

    /// <summary>Runs the listing shape the storage uses: the filter, ordered by id.</summary>
    public IReadOnlyList<long> Ids(NodeKind kind, string filter)
    {
        FilterSql sql = FilterSqlGenerator.Generate(FilterQuery.Compile(filter, kind), Dialect);
        using SqliteCommand command = Command($"SELECT n.id FROM {TableOf(kind).MetadataNode} n WHERE {sql.Condition} ORDER BY n.id", sql);
        using SqliteDataReader reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>The EXPLAIN QUERY PLAN lines of a page of a filtered listing.</summary>
    public IReadOnlyList<string> Plan(NodeKind kind, string filter, string orderBy = "id")
    {
        FilterSql sql = FilterSqlGenerator.Generate(FilterQuery.Compile(filter, kind), Dialect);
        string keyset = orderBy == "id" ? "n.id > @after" : $"(n.{orderBy} > @value OR (n.{orderBy} = @value AND n.id > @after))";
        string order = orderBy == "id" ? "n.id" : $"n.{orderBy}, n.id";
        using SqliteCommand command = Command($"EXPLAIN QUERY PLAN SELECT n.id FROM {TableOf(kind).MetadataNode} n WHERE ({sql.Condition}) AND {keyset} ORDER BY {order} LIMIT 101", sql);
        command.Parameters.AddWithValue("@after", 0L);
        command.Parameters.AddWithValue("@value", 0L);
        using SqliteDataReader reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(3));
        }

        return lines;
    }

    public long Count(string table)
    {
        using SqliteCommand command = Connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    private SqliteCommand Command(string text, FilterSql sql)
    {
        SqliteCommand command = Connection.CreateCommand();
        command.CommandText = text;
        foreach (KeyValuePair<string, object> parameter in sql.Parameters)
        {
            command.Parameters.AddWithValue(parameter.Key, parameter.Value);
        }

        return command;
    }

    private static (string MetadataNode, string Table, string Owner) TableOf(NodeKind kind) => kind switch
    {
        NodeKind.Artifact => ("Artifact", "ArtifactProperty", "artifact_id"),
        NodeKind.Execution => ("Execution", "ExecutionProperty", "execution_id"),
        _ => ("Context", "ContextProperty", "context_id"),
    };

    public void Dispose() => Connection.Dispose();
}

internal static class Kinds
{
    public static NodeKind Parse(string kind) => kind switch
    {
        "artifact" => NodeKind.Artifact,
        "execution" => NodeKind.Execution,
        "context" => NodeKind.Context,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
