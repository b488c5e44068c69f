using System.Text;
using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>
/// Random and mutated filters give either rows or InvalidArgument, never another exception, and nothing a filter says
/// can change the store. Seeds are fixed so a failure reproduces.
/// </summary>
public abstract class FilterFuzzConformance(IStoreFactory factory) : IAsyncLifetime, IDisposable
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

    /// <summary>How deep the filter language lets parentheses and NOT nest.</summary>
    private const int MaxDepth = 32;

    private IMetadataStore _store = null!;

    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    /// <summary>Stores a few nodes of each kind, linked, with properties.</summary>
    /// <returns>A task that ends when the data is stored.</returns>
    public async Task InitializeAsync()
    {
        _store = await factory.OpenEmptyAsync();
        long t = await _store.PutArtifactTypeAsync(ArtifactType.Named("T").WithProperty("p", PropertyKind.Int));
        long e = await _store.PutExecutionTypeAsync(ExecutionType.Named("E"));
        long c = await _store.PutContextTypeAsync(ContextType.Named("C"));
        for (int i = 0; i < 5; i++)
        {
            long a = await _store.PutArtifactAsync(Artifact.Of(t, "uri_" + i, "a" + i).With("p", i) with { State = (ArtifactState)(i % 3) });
            long x = await _store.PutSingleExecutionAsync(Execution.Of(e, (ExecutionState)(i % 4), "e" + i).WithCustom("p", i * 0.5));
            long ctx = await _store.PutContextAsync(Context.Of(c, "c" + i));
            await _store.PutAttributionsAndAssociationsAsync([new Attribution(ctx, a)], [new Association(ctx, x)]);
            await _store.PutEventsAsync([Event.Of(EventType.Input + (i % 2), a, x)]);
        }
    }

    /// <summary>Closes the store.</summary>
    /// <returns>A task that ends when the store is closed.</returns>
    public async Task DisposeAsync() => await _store.DisposeAsync();

    /// <summary>Listing gives rows or invalid argument when filters are random.</summary>
    [Fact]
    public async Task Listing_gives_rows_or_invalid_argument_when_filters_are_random()
    {
        var random = new Random(20240611);
        var before = await _store.SnapshotAsync();
        int valid = 0;
        for (int i = 0; i < 800; i++)
        {
            valid += await CheckAsync(RandomTokens(random));
            valid += await CheckAsync(Mutate(random, RandomExpression(random, 0)));
            valid += await CheckAsync(RandomExpression(random, 0));
        }

        valid.Should().BeGreaterThan(150, "the generator should produce many valid filters too");
        await _store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>Listing changes nothing when filters attempt injection.</summary>
    [Fact]
    public async Task Listing_changes_nothing_when_filters_attempt_injection()
    {
        var random = new Random(7);
        var before = await _store.SnapshotAsync();
        foreach (string hostile in Hostile)
        {
            await CheckAsync(hostile);
            await CheckAsync($"name = '{hostile}'");
            await CheckAsync($"name = \"{hostile}\"");
            await CheckAsync($"name = 'a' {hostile}");
            await CheckAsync($"properties.`{hostile}`.string_value = 'x'");
            await CheckAsync($"uri LIKE '{hostile}%'");
            await CheckAsync($"contexts_a.name IN ('{hostile}', \"{hostile}\")");
            for (int i = 0; i < 5; i++)
            {
                string expression = RandomExpression(random, 0);
                int at = random.Next(expression.Length + 1);
                await CheckAsync(expression.Insert(at, hostile));
            }
        }

        await _store.ShouldBeUnchangedSinceAsync(before);

        // A literal that carries SQL is matched as text, never run.
        long t = await _store.PutArtifactTypeAsync(ArtifactType.Named("Injected"));
        long id = await _store.PutArtifactAsync(Artifact.Of(t, name: "x'; DROP TABLE Artifact; --"));
        var withInjected = await _store.SnapshotAsync();
        (await _store.ListArtifactsAsync(new NodeListOptions { Filter = "name = \"x'; DROP TABLE Artifact; --\"" })).Items.Select(a => a.StoredId).Should().Equal(id);
        (await _store.ListArtifactsAsync(new NodeListOptions { Filter = "name = 'x\\'; DROP TABLE Artifact; --'" })).Items.Select(a => a.StoredId).Should().Equal(id);
        await _store.ShouldBeUnchangedSinceAsync(withInjected);
    }

    /// <summary>Listing gives rows or invalid argument when filters are at the limits.</summary>
    [Fact]
    public async Task Listing_gives_rows_or_invalid_argument_when_filters_are_at_the_limits()
    {
        string nested = "properties.p.int_value = 1";
        for (int i = 0; i < MaxDepth - 1; i++)
        {
            nested = i % 2 == 0 ? $"({nested} OR contexts_a.name = 'x')" : $"({nested} AND NOT custom_properties.q.int_value + {i} > id)";
        }

        (await CheckAsync(nested)).Should().Be(2, "contexts have no contexts_ aliases");
        (await CheckAsync("((" + nested + "))")).Should().Be(0);
        (await CheckAsync(string.Join(" OR ", Enumerable.Range(0, 400).Select(i => $"properties.p{i}.int_value = {i}")))).Should().Be(3);
        (await CheckAsync(string.Join(" AND ", Enumerable.Range(0, 400).Select(i => $"NOT id = {i}")))).Should().Be(3);
        (await CheckAsync("id IN (" + string.Join(", ", Enumerable.Range(0, 1_900)) + ")")).Should().Be(3);
        (await CheckAsync("id IN (" + string.Join(", ", Enumerable.Range(0, 2_100)) + ")")).Should().Be(0);
        (await CheckAsync(string.Concat(Enumerable.Repeat("- ", 40)) + "1 = id")).Should().Be(0);
        (await CheckAsync("1" + string.Concat(Enumerable.Repeat(" + 1", 990)) + " = id")).Should().Be(3);
        (await CheckAsync("1" + string.Concat(Enumerable.Repeat(" + 1", 1_500)) + " = id")).Should().Be(0);
    }

    private async Task<int> CheckAsync(string filter)
    {
        int valid = 0;
        var options = new NodeListOptions { Filter = filter };
        foreach (var kind in new[] { "artifact", "execution", "context" })
        {
            try
            {
                _ = kind switch
                {
                    "artifact" => (object)await _store.ListArtifactsAsync(options),
                    "execution" => await _store.ListExecutionsAsync(options),
                    _ => await _store.ListContextsAsync(options),
                };
                valid++;
            }
            catch (MetadataStoreException e) when (e.ErrorCode == MetadataErrorCode.InvalidArgument)
            {
                e.Message.Should().StartWith("Invalid filter query");
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"Filter {Escape(filter)} on {kind} threw {e.GetType().Name}: {e.Message}", e);
            }
        }

        return valid;
    }

    private static string Escape(string s) => string.Concat(s.Select(c => c < 32 || c > 126 ? $"\\u{(int)c:x4}" : c.ToString()));

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
