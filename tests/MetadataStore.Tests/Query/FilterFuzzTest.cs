using System.Text;
using FluentAssertions;
using MetadataStore.Query;
using MetadataStore.Storage;
using Microsoft.Data.Sqlite;
using Xunit;

namespace MetadataStore.Tests.Query;

/// <summary>
/// Random and mutated queries give either rows or InvalidArgument, never another exception, and nothing a query says
/// can change the store. Seeds are fixed so a failure reproduces.
/// </summary>
public sealed class FilterFuzzTest : IDisposable
{
    private static readonly string[] Atoms =
    [
        "id", "type_id", "type", "name", "external_id", "create_time_since_epoch", "last_update_time_since_epoch", "uri", "state",
        "last_known_state", "properties.p.int_value", "custom_properties.p.double_value", "properties.`a b`.string_value",
        "properties.q.bool_value", "contexts_a.name", "contexts_b.id", "contexts_a.type", "events_e.type", "events_e.execution_id",
        "events_e.artifact_id", "artifacts_x.uri", "artifacts_x.state", "executions_y.last_known_state", "parent_contexts_p.name",
        "child_contexts_c.id", "LIVE", "RUNNING", "ABANDONED", "OUTPUT", "PENDING_OUTPUT", "1", "0", "-1", "2.5", "1e308",
        "9223372036854775807", "-9223372036854775808", "'x'", "\"it's\"", "'%'", "'a_b%'", "''", "TRUE", "FALSE", "NULL",
    ];

    private static readonly string[] Operators =
        ["=", "!=", "<>", "<", "<=", ">", ">=", "+", "-", "*", "/", "AND", "OR", "NOT", "IN", "NOT IN", "LIKE", "NOT LIKE", "IS NULL", "IS NOT NULL", "(", ")", ",", "."];

    private static readonly string[] Hostile =
    [
        "'; DROP TABLE Artifact; --", "\" OR 1=1 --", "'x' UNION SELECT id FROM Type", "1; DELETE FROM Artifact", "/* */",
        "--", ";", "`", "\\", "'\\''", "\"\"\"", "')) OR ((1=1", "name = name", "@fq0", "$1", ":p", "?", "%", "\0", "\u00e9", "\ud83d\ude00",
        "UNION ALL SELECT", "ATTACH DATABASE 'x' AS y", "PRAGMA writable_schema=1", "randomblob(1000000000)", "load_extension('x')",
    ];

    private readonly FilterTestDatabase _db = new();

    public FilterFuzzTest()
    {
        long t = _db.Type("T", 1);
        long e = _db.Type("E", 0);
        long c = _db.Type("C", 2);
        for (int i = 0; i < 5; i++)
        {
            long a = _db.Artifact(t, "a" + i, "uri_" + i, i % 3, time: i);
            long x = _db.Execution(e, "e" + i, i % 4, time: i);
            long ctx = _db.Context(c, "c" + i, time: i);
            _db.Property(NodeKind.Artifact, a, "p", (long)i);
            _db.Property(NodeKind.Execution, x, "p", i * 0.5, custom: true);
            _db.Attribution(ctx, a);
            _db.Association(ctx, x);
            _db.Event(a, x, 3 + (i % 2), i);
        }
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public void Compile_and_run_give_rows_or_invalid_argument_when_queries_are_random()
    {
        var random = new Random(20240611);
        string before = Snapshot();
        int valid = 0;
        for (int i = 0; i < 2_500; i++)
        {
            valid += Check(RandomTokens(random));
            valid += Check(Mutate(random, RandomExpression(random, 0)));
            valid += Check(RandomExpression(random, 0));
        }

        valid.Should().BeGreaterThan(500, "the generator should produce many valid queries too");
        Snapshot().Should().Be(before);
    }

    [Fact]
    public void Compile_and_run_change_nothing_when_queries_attempt_injection()
    {
        string before = Snapshot();
        var random = new Random(7);
        foreach (string hostile in Hostile)
        {
            Check(hostile);
            Check($"name = '{hostile}'");
            Check($"name = \"{hostile}\"");
            Check($"name = 'a' {hostile}");
            Check($"properties.`{hostile}`.string_value = 'x'");
            Check($"uri LIKE '{hostile}%'");
            Check($"contexts_a.name IN ('{hostile}', \"{hostile}\")");
            for (int i = 0; i < 20; i++)
            {
                string expression = RandomExpression(random, 0);
                int at = random.Next(expression.Length + 1);
                Check(expression.Insert(at, hostile));
            }
        }

        // A literal that carries SQL is matched as text, never run.
        long t = _db.Type("Injected", 1);
        long id = _db.Artifact(t, "x'; DROP TABLE Artifact; --");
        _db.Ids(NodeKind.Artifact, "name = \"x'; DROP TABLE Artifact; --\"").Should().Equal(id);
        _db.Ids(NodeKind.Artifact, "name = 'x\\'; DROP TABLE Artifact; --'").Should().Equal(id);
        _db.Execute("DELETE FROM Artifact WHERE id = @id", ("@id", id));
        _db.Execute("DELETE FROM Type WHERE id = @id", ("@id", t));
        Snapshot().Should().Be(before);
    }

    [Fact]
    public void Compile_and_run_give_rows_or_invalid_argument_when_queries_are_at_the_limits()
    {
        string nested = "properties.p.int_value = 1";
        for (int i = 0; i < FilterParser.MaxDepth - 1; i++)
        {
            nested = i % 2 == 0 ? $"({nested} OR contexts_a.name = 'x')" : $"({nested} AND NOT custom_properties.q.int_value + {i} > id)";
        }

        Check(nested).Should().Be(2, "contexts have no contexts_ aliases");
        Check("((" + nested + "))").Should().Be(0);
        Check(string.Join(" OR ", Enumerable.Range(0, 400).Select(i => $"properties.p{i}.int_value = {i}"))).Should().Be(3);
        Check(string.Join(" AND ", Enumerable.Range(0, 400).Select(i => $"NOT id = {i}"))).Should().Be(3);
        Check("id IN (" + string.Join(", ", Enumerable.Range(0, 1_900)) + ")").Should().Be(3);
        Check("id IN (" + string.Join(", ", Enumerable.Range(0, 2_100)) + ")").Should().Be(0);
        Check(string.Concat(Enumerable.Repeat("- ", 40)) + "1 = id").Should().Be(0);
        Check("1" + string.Concat(Enumerable.Repeat(" + 1", 990)) + " = id").Should().Be(3);
        Check("1" + string.Concat(Enumerable.Repeat(" + 1", 1_500)) + " = id").Should().Be(0);
    }

    private int Check(string query)
    {
        int valid = 0;
        foreach (NodeKind kind in new[] { NodeKind.Artifact, NodeKind.Execution, NodeKind.Context })
        {
            try
            {
                _db.Ids(kind, query);
                valid++;
            }
            catch (MetadataStoreException e) when (e.ErrorCode == MetadataErrorCode.InvalidArgument)
            {
                e.Message.Should().StartWith("Invalid filter query");
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"Query {Escape(query)} on {kind} threw {e.GetType().Name}: {e.Message}", e);
            }
        }

        return valid;
    }

    private static string Escape(string s) => string.Concat(s.Select(c => c < 32 || c > 126 ? $"\\u{(int)c:x4}" : c.ToString()));

    private string Snapshot()
    {
        var sb = new StringBuilder();
        using SqliteCommand command = _db.Connection.CreateCommand();
        command.CommandText = "SELECT type || ':' || name || ':' || coalesce(sql, '') FROM sqlite_master ORDER BY name";
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                sb.AppendLine(reader.GetString(0));
            }
        }

        foreach (string table in new[] { "Type", "Artifact", "ArtifactProperty", "Execution", "ExecutionProperty", "Context", "ContextProperty", "Event", "Attribution", "Association", "ParentContext" })
        {
            sb.Append(table).Append('=').Append(_db.Count(table)).AppendLine();
        }

        return sb.ToString();
    }

    private static string RandomTokens(Random random)
    {
        var sb = new StringBuilder();
        int count = random.Next(1, 12);
        for (int i = 0; i < count; i++)
        {
            int pick = random.Next(10);
            sb.Append(pick switch
            {
                < 4 => Atoms[random.Next(Atoms.Length)],
                < 8 => Operators[random.Next(Operators.Length)],
                8 => Hostile[random.Next(Hostile.Length)],
                _ => ((char)random.Next(0, 0x3000)).ToString(),
            });
            if (random.Next(3) > 0)
            {
                sb.Append(' ');
            }
        }

        return sb.ToString();
    }

    private static string RandomExpression(Random random, int depth)
    {
        if (depth > 3 || random.Next(4) == 0)
        {
            return Comparison(random);
        }

        return random.Next(5) switch
        {
            0 => $"NOT ({RandomExpression(random, depth + 1)})",
            1 => $"({RandomExpression(random, depth + 1)}) OR {RandomExpression(random, depth + 1)}",
            _ => $"{RandomExpression(random, depth + 1)} AND {RandomExpression(random, depth + 1)}",
        };
    }

    private static string Comparison(Random random)
    {
        string field = Atoms[random.Next(25)];
        string value = Atoms[random.Next(Atoms.Length)];
        return random.Next(8) switch
        {
            0 => $"{field} IS NULL",
            1 => $"{field} IS NOT NULL",
            2 => $"{field} IN ({value}, {Atoms[random.Next(Atoms.Length)]})",
            3 => $"{field} LIKE {value}",
            4 => $"({field} + {value}) * 2 > {value}",
            5 => $"{field} NOT IN ({value})",
            _ => $"{field} {Operators[random.Next(7)]} {value}",
        };
    }

    private static string Mutate(Random random, string text)
    {
        var sb = new StringBuilder(text);
        int edits = random.Next(1, 4);
        for (int i = 0; i < edits && sb.Length > 0; i++)
        {
            int at = random.Next(sb.Length);
            switch (random.Next(4))
            {
                case 0:
                    sb.Remove(at, 1);
                    break;
                case 1:
                    sb.Insert(at, "()'\"`.,=<>!-%_\\;"[random.Next(16)]);
                    break;
                case 2:
                    sb[at] = (char)random.Next(32, 127);
                    break;
                default:
                    sb.Insert(at, Operators[random.Next(Operators.Length)]);
                    break;
            }
        }

        return sb.ToString();
    }
}
