using MetadataStore.Query;
using MetadataStore.Storage;
using MetadataStore.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace MetadataStore.Tests.Query;

/// <summary>An in-memory SQLite database with the backend's tables and indexes, to read the plans of generated filter SQL on.</summary>
internal sealed class FilterTestDatabase : IDisposable
{
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

    private void Execute(string sql)
    {
        using SqliteCommand command = Connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public long Type(string name, int kind)
    {
        using SqliteCommand command = Connection.CreateCommand();
        command.CommandText = "INSERT INTO Type(name, type_kind) VALUES (@n, @k); SELECT last_insert_rowid();";
        command.Parameters.AddWithValue("@n", name);
        command.Parameters.AddWithValue("@k", kind);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The EXPLAIN QUERY PLAN lines of a page of a filtered listing.</summary>
    public IReadOnlyList<string> Plan(NodeKind kind, string filter, string orderBy = "id")
    {
        FilterSql sql = FilterQuery.Compile(filter, kind).ToSql(SqliteFilterDialect.Instance);
        string keyset = orderBy == "id" ? "n.id > @after" : $"(n.{orderBy} > @value OR (n.{orderBy} = @value AND n.id > @after))";
        string order = orderBy == "id" ? "n.id" : $"n.{orderBy}, n.id";
        using SqliteCommand command = Command($"EXPLAIN QUERY PLAN SELECT n.id FROM {TableOf(kind)} n WHERE ({sql.Condition}) AND {keyset} ORDER BY {order} LIMIT 101", sql);
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

    private SqliteCommand Command(string text, FilterSql sql)
    {
        SqliteCommand command = Connection.CreateCommand();
        command.CommandText = text;
        foreach (KeyValuePair<string, object> parameter in sql.Parameters)
        {
            command.Parameters.AddWithValue("@" + parameter.Key, parameter.Value);
        }

        return command;
    }

    private static string TableOf(NodeKind kind) => kind switch
    {
        NodeKind.Artifact => "Artifact",
        NodeKind.Execution => "Execution",
        _ => "Context",
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
