using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace MetadataStore.Benchmarks;

/// <summary>
/// The lineage scenarios' data and baseline. The DAG: <see cref="Components"/> independent pipelines, each a source
/// artifact read by the first of <see cref="Layers"/> layers of <see cref="Width"/> executions; each execution reads two
/// artifacts of its layer and writes one of the next; every artifact has three properties and every execution two.
/// A downstream closure from one source is one pipeline: about 5,000 nodes, 2 × <see cref="Layers"/> hops deep.
/// The baseline is a raw recursive query on the same tables: WITH RECURSIVE builds the closure in a temporary table,
/// then plain joins read the crossed events with their paths and, hydrated, the node rows and properties.
/// </summary>
internal static class LineageBench
{
    public const int Components = 60;
    public const int Layers = 20;
    public const int Width = 125;

    private const string InputTypes = "2, 3, 5";
    private const string OutputTypes = "1, 4, 6, 7";

    /// <summary>The store file with the DAG, built by plain inserts once (reused when the bench directory is kept); returns it and a source id.</summary>
    public static (string Path, long Source) Generate(BenchFiles files)
    {
        var path = Path.Combine(files.Root, "lineage.db");
        if (!(files.Keep && File.Exists(path)))
        {
            path = files.Fresh("lineage");
            using var raw = RawStore.Open(path, cacheSizeKib: 256 * 1024);
            raw.EnsureTypes();
            Build(path, raw.DatasetTypeId, raw.TrainerTypeId);
        }

        using var connection = new SqliteConnection(RawStore.ConnectionString(path));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """SELECT "id" FROM "Artifact" WHERE "name" = 'src-30'""";
        return (path, (long)command.ExecuteScalar()!);
    }

    private static void Build(string path, long datasetType, long trainerType)
    {
        using var connection = new SqliteConnection(RawStore.ConnectionString(path));
        connection.Open();
        using var tx = connection.BeginTransaction();
        using var artifact = Command(connection, tx, """INSERT INTO "Artifact" ("type_id", "uri", "state", "name", "create_time_since_epoch", "last_update_time_since_epoch") VALUES ($t, $u, 2, $n, 1, 1)""", "$t", "$u", "$n");
        using var execution = Command(connection, tx, """INSERT INTO "Execution" ("type_id", "last_known_state", "name", "create_time_since_epoch", "last_update_time_since_epoch") VALUES ($t, 3, $n, 1, 1)""", "$t", "$n");
        using var ev = Command(connection, tx, """INSERT INTO "Event" ("artifact_id", "execution_id", "type", "milliseconds_since_epoch") VALUES ($a, $e, $k, 1)""", "$a", "$e", "$k");
        using var intProperty = Command(connection, tx, """INSERT INTO "ArtifactProperty" ("artifact_id", "name", "is_custom_property", "int_value") VALUES ($o, $n, 0, $v)""", "$o", "$n", "$v");
        using var textProperty = Command(connection, tx, """INSERT INTO "ArtifactProperty" ("artifact_id", "name", "is_custom_property", "string_value") VALUES ($o, $n, 0, $v)""", "$o", "$n", "$v");
        using var executionProperty = Command(connection, tx, """INSERT INTO "ExecutionProperty" ("execution_id", "name", "is_custom_property", "int_value") VALUES ($o, $n, 0, $v)""", "$o", "$n", "$v");
        var random = new Random(3);
        long serial = 0;

        long NewArtifact(string name)
        {
            var n = serial++;
            artifact.Parameters[0].Value = datasetType;
            artifact.Parameters[1].Value = Workload.DatasetUri(n);
            artifact.Parameters[2].Value = name;
            var id = Insert(artifact);
            Set(intProperty, id, "shard", Workload.Shard(n));
            Set(intProperty, id, "rows", Workload.Rows(n));
            Set(textProperty, id, "split", Workload.Split(n));
            return id;
        }

        for (var c = 0; c < Components; c++)
        {
            var source = NewArtifact($"src-{c}");
            var layer = Enumerable.Range(0, Width).Select(_ => source).ToArray();
            for (var l = 0; l < Layers; l++)
            {
                var next = new long[Width];
                for (var w = 0; w < Width; w++)
                {
                    execution.Parameters[0].Value = trainerType;
                    execution.Parameters[1].Value = $"step-{c}-{l}-{w}";
                    var e = Insert(execution);
                    Set(executionProperty, e, "epochs", random.Next(1, 50));
                    Set(executionProperty, e, "seed", w);
                    foreach (var input in new[] { layer[w], layer[(w + 1 + random.Next(Width - 1)) % Width] }.Distinct())
                    {
                        Event(input, e, 3);
                    }

                    next[w] = NewArtifact($"out-{c}-{l}-{w}");
                    Event(next[w], e, 4);
                }

                layer = next;
            }
        }

        tx.Commit();

        void Event(long a, long e, int type)
        {
            ev.Parameters[0].Value = a;
            ev.Parameters[1].Value = e;
            ev.Parameters[2].Value = type;
            ev.ExecuteNonQuery();
        }
    }

    /// <summary>The closure by a raw recursive query: ids, the crossed events, and, when <paramref name="hydrate"/>, node rows and properties. Returns the node count.</summary>
    public static int Baseline(SqliteConnection connection, long source, bool hydrate)
    {
        using var tx = connection.BeginTransaction(deferred: true);
        Exec(connection, tx, """CREATE TEMP TABLE IF NOT EXISTS "bench_closure" ("kind" INTEGER NOT NULL, "id" INTEGER NOT NULL, PRIMARY KEY ("kind", "id")) WITHOUT ROWID""");
        Exec(connection, tx, """DELETE FROM temp."bench_closure" """);
        using (var closure = connection.CreateCommand())
        {
            closure.Transaction = tx;
            closure.CommandText = $"""
                INSERT INTO temp."bench_closure" ("kind", "id")
                WITH RECURSIVE down("kind", "id") AS (
                  SELECT 0, $source
                  UNION
                  SELECT 1, e."execution_id" FROM down AS d JOIN "Event" AS e ON e."artifact_id" = d."id" WHERE d."kind" = 0 AND e."type" IN ({InputTypes})
                  UNION
                  SELECT 0, e."artifact_id" FROM down AS d JOIN "Event" AS e ON e."execution_id" = d."id" WHERE d."kind" = 1 AND e."type" IN ({OutputTypes})
                )
                SELECT "kind", "id" FROM down
                """;
            closure.Parameters.AddWithValue("$source", source);
            closure.ExecuteNonQuery();
        }

        var ids = new List<(long, long)>();
        Read(connection, tx, """SELECT "kind", "id" FROM temp."bench_closure" ORDER BY "kind", "id" """, r => ids.Add((r.GetInt64(0), r.GetInt64(1))));
        var events = new List<(long, long, long, int, long?, long?, long?, string?)>();
        Read(connection, tx, $"""
            SELECT x.*, p."is_index_step", p."step_index", p."step_key" FROM (
              SELECT e."id", e."artifact_id", e."execution_id", e."type", e."milliseconds_since_epoch"
              FROM temp."bench_closure" AS v CROSS JOIN "Event" AS e ON e."artifact_id" = v."id" WHERE v."kind" = 0 AND e."type" IN ({InputTypes})
              UNION ALL
              SELECT e."id", e."artifact_id", e."execution_id", e."type", e."milliseconds_since_epoch"
              FROM temp."bench_closure" AS v CROSS JOIN "Event" AS e ON e."execution_id" = v."id" WHERE v."kind" = 1 AND e."type" IN ({OutputTypes})
            ) AS x LEFT JOIN "EventPath" AS p ON p."event_id" = x."id"
            ORDER BY x."id", p."rowid"
            """, r => events.Add((r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt32(3), r.IsDBNull(4) ? null : r.GetInt64(4),
                r.IsDBNull(5) ? null : r.GetInt64(5), r.IsDBNull(6) ? null : r.GetInt64(6), r.IsDBNull(7) ? null : r.GetString(7))));
        if (hydrate)
        {
            foreach (var (table, kind, uriAndState) in new[] { ("Artifact", 0, "n.\"uri\", n.\"state\""), ("Execution", 1, "NULL, n.\"last_known_state\"") })
            {
                var nodes = new Dictionary<long, RawNode>();
                Read(connection, tx, $"""
                    SELECT n."id", n."type_id", t."name", {uriAndState}, n."name", n."external_id", n."create_time_since_epoch", n."last_update_time_since_epoch"
                    FROM temp."bench_closure" AS v CROSS JOIN "{table}" AS n ON n."id" = v."id" LEFT JOIN "Type" AS t ON t."id" = n."type_id"
                    WHERE v."kind" = {kind} ORDER BY n."id"
                    """, r => nodes[r.GetInt64(0)] = new RawNode
                    {
                        Id = r.GetInt64(0),
                        TypeId = r.GetInt64(1),
                        TypeName = r.GetString(2),
                        Uri = r.IsDBNull(3) ? null : r.GetString(3),
                        State = r.IsDBNull(4) ? null : r.GetInt32(4),
                        Name = r.IsDBNull(5) ? null : r.GetString(5),
                        ExternalId = r.IsDBNull(6) ? null : r.GetString(6),
                        CreateTime = r.GetInt64(7),
                        LastUpdateTime = r.GetInt64(8),
                    });
                var owner = kind == 0 ? "artifact_id" : "execution_id";
                Read(connection, tx, $"""
                    SELECT p."{owner}", p."name", p."is_custom_property", p."int_value", p."double_value", p."string_value", p."proto_value", p."bool_value"
                    FROM temp."bench_closure" AS v CROSS JOIN "{table}Property" AS p ON p."{owner}" = v."id" WHERE v."kind" = {kind}
                    """, r => nodes[r.GetInt64(0)].Properties.Add(new RawProperty(
                        r.GetString(1),
                        r.GetInt64(2) != 0,
                        r.IsDBNull(3) ? null : r.GetInt64(3),
                        r.IsDBNull(4) ? null : r.GetDouble(4),
                        r.IsDBNull(5) ? null : r.GetString(5),
                        r.IsDBNull(6) ? null : (byte[])r.GetValue(6),
                        r.IsDBNull(7) ? null : r.GetInt64(7) != 0)));
            }
        }

        tx.Commit();
        return events.Count > 0 ? ids.Count : 0;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var p in parameters)
        {
            command.Parameters.Add(new SqliteParameter(p, null));
        }

        command.Prepare();
        return command;
    }

    private static long Insert(SqliteCommand command)
    {
        command.ExecuteNonQuery();
        return SQLitePCL.raw.sqlite3_last_insert_rowid(command.Connection!.Handle);
    }

    private static void Set(SqliteCommand command, long owner, string name, object value)
    {
        command.Parameters[0].Value = owner;
        command.Parameters[1].Value = name;
        command.Parameters[2].Value = value;
        command.ExecuteNonQuery();
    }

    private static void Exec(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Read(SqliteConnection connection, SqliteTransaction tx, string sql, Action<SqliteDataReader> row)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            row(reader);
        }
    }

    /// <summary>Elapsed seconds of one call.</summary>
    public static double Seconds(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }
}
