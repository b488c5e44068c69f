using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace MetadataStore.Benchmarks;

/// <summary>
/// Stores of a given number of artifacts for the scale scenario, generated with raw SQL (INSERT ... SELECT over a
/// counter, 100k rows per transaction) and kept in the temporary folder under a hash of the library's schema, so a
/// later run reuses them. Artifact n: type BenchModel when n % 10 == 9 (else BenchDataset), the five dataset
/// properties of <see cref="Workload"/>, create and update time base + n ms; it belongs to context group-(n / 1000)
/// (1,000 members each) and, when n % 10 == 0, to context big (a tenth of the store).
/// </summary>
internal static class ScaleStore
{
    // Bump when the generated content changes.
    private const int Generation = 1;
    private const int Chunk = 100_000;
    public const long BaseTime = 1_700_000_000_000;
    public const int GroupSize = 1_000;
    public const string BigContext = "big";

    public static string GroupName(long group) => "group-" + group.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The path of a store of <paramref name="count"/> artifacts, generated when missing.</summary>
    public static string Ensure(string template, int count, Action<string> progress)
    {
        var folder = Path.Combine(Path.GetTempPath(), "metadatastore-scale-" + SchemaHash(template));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"artifacts-{count}.db");
        if (File.Exists(path))
        {
            progress($"reusing {path}");
            return path;
        }

        var partial = path + ".partial";
        BenchFiles.Delete(partial);
        File.Copy(template, partial);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Generate(partial, count);
        File.Move(partial, path);
        progress($"generated {count:N0} artifacts in {sw.Elapsed.TotalSeconds:F0} s: {path} ({new FileInfo(path).Length / 1e6:F0} MB)");
        return path;
    }

    private static string SchemaHash(string template)
    {
        using var connection = new SqliteConnection(RawStore.ConnectionString(template));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """SELECT group_concat(coalesce("sql", ''), ';') FROM (SELECT "sql" FROM "sqlite_master" ORDER BY "name")""";
        var schema = (string)command.ExecuteScalar()! + "#" + Generation;
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(schema)))[..16].ToLowerInvariant();
    }

    private static void Generate(string path, int count)
    {
        using (var raw = RawStore.Open(path))
        {
            raw.EnsureTypes();
        }

        using var connection = new SqliteConnection(RawStore.ConnectionString(path));
        connection.Open();
        Exec(connection, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -524288;");

        // Secondary indexes of the filled tables go first and come back from their own stored SQL afterwards.
        var indexes = new List<(string Name, string Sql)>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = """SELECT "name", "sql" FROM "sqlite_master" WHERE "type" = 'index' AND "tbl_name" IN ('Artifact', 'ArtifactProperty', 'Attribution') AND "sql" IS NOT NULL""";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in indexes)
        {
            Exec(connection, $"DROP INDEX \"{name}\";");
        }

        var dataset = Scalar(connection, $"SELECT id FROM Type WHERE name = '{Workload.DatasetType}' AND type_kind = 1");
        var model = Scalar(connection, $"SELECT id FROM Type WHERE name = '{Workload.ModelType}' AND type_kind = 1");
        var pipeline = Scalar(connection, $"SELECT id FROM Type WHERE name = '{Workload.PipelineType}' AND type_kind = 2");

        Exec(connection, $"""
            INSERT INTO "Context" ("type_id", "name", "create_time_since_epoch", "last_update_time_since_epoch") VALUES ({pipeline}, '{BigContext}', {BaseTime}, {BaseTime});
            WITH RECURSIVE g(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM g WHERE k + 1 < {(count + GroupSize - 1) / GroupSize})
            INSERT INTO "Context" ("type_id", "name", "create_time_since_epoch", "last_update_time_since_epoch")
            SELECT {pipeline}, 'group-' || k, {BaseTime}, {BaseTime} FROM g;
            """);
        var big = Scalar(connection, $"SELECT id FROM Context WHERE name = '{BigContext}'");
        var firstGroup = big + 1;

        for (long start = 0; start < count; start += Chunk)
        {
            var end = Math.Min(count, start + Chunk);
            var seq = $"WITH RECURSIVE s(n) AS (SELECT {start} UNION ALL SELECT n + 1 FROM s WHERE n + 1 < {end})";
            // Artifact n gets id n + 1 in an empty table (AUTOINCREMENT from 1).
            Exec(connection, $"""
                BEGIN;
                {seq}
                INSERT INTO "Artifact" ("id", "type_id", "uri", "state", "name", "external_id", "create_time_since_epoch", "last_update_time_since_epoch")
                SELECT n + 1, CASE WHEN n % 10 = 9 THEN {model} ELSE {dataset} END, 'file:///data/bench/part-' || printf('%08d', n) || '.parquet',
                       {(int)ArtifactState.Live}, 'dataset-' || printf('%08d', n), NULL, {BaseTime} + n, {BaseTime} + n FROM s;
                {seq}
                INSERT INTO "ArtifactProperty" ("artifact_id", "name", "is_custom_property", "int_value", "double_value", "string_value")
                SELECT n + 1, 'shard', 0, n % {Workload.Shards}, NULL, NULL FROM s
                UNION ALL SELECT n + 1, 'rows', 0, 1000 + (n * 7 % 100000), NULL, NULL FROM s
                UNION ALL SELECT n + 1, 'quality', 0, NULL, (n % 9973) / 9973.0, NULL FROM s
                UNION ALL SELECT n + 1, 'split', 0, NULL, NULL, CASE WHEN n % 10 < 8 THEN 'train' WHEN n % 10 = 8 THEN 'eval' ELSE 'test' END FROM s
                UNION ALL SELECT n + 1, 'format', 0, NULL, NULL, '{Workload.Format}' FROM s;
                {seq}
                INSERT INTO "Attribution" ("context_id", "artifact_id")
                SELECT {firstGroup} + n / {GroupSize}, n + 1 FROM s
                UNION ALL SELECT {big}, n + 1 FROM s WHERE n % 10 = 0;
                COMMIT;
                """);
        }

        foreach (var (_, sql) in indexes)
        {
            Exec(connection, sql);
        }

        Exec(connection, "PRAGMA journal_mode = WAL;");
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
