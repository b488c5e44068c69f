using FluentAssertions;
using MetadataStore.Query;
using MetadataStore.Storage;
using MetadataStore.Storage.Relational;
using MetadataStore.Storage.Sqlite;
using MetadataStore.Tests.Query;
using Microsoft.Data.Sqlite;
using Xunit;
using Xunit.Abstractions;

namespace MetadataStore.Tests.Storage;

/// <summary>
/// EXPLAIN QUERY PLAN of the statements the backend runs for a page of each listing shape, on its own DDL: a keyset
/// page is read in index order (no temporary B-tree for ORDER BY), so LIMIT stops it after its last row; an equality
/// filter is answered by an index search, never by a scan or a materialized list of every match.
/// </summary>
public sealed class SqliteListingPlanTest : IDisposable
{
    private static readonly SqliteDialect Dialect = new(null);

    private readonly FilterTestDatabase _db = new();
    private readonly ITestOutputHelper _output;

    public SqliteListingPlanTest(ITestOutputHelper output)
    {
        _output = output;
        _db.Type("Model", 1);
        _db.Type("Trainer", 0);
        _db.Type("Experiment", 2);
    }

    public void Dispose() => _db.Dispose();

    public static TheoryData<string, string, string, string> IdOrderShapes() => new()
    {
        // kind, scope (all | type | context), filter, index the page is read from
        { "artifact", "all", "", "" }, // the table itself, in rowid order
        { "artifact", "type", "", "INDEX mds_artifact_type" },
        { "execution", "type", "", "INDEX mds_execution_type" },
        { "context", "type", "", "INDEX mds_context_type" },
        { "artifact", "context", "", "INDEX sqlite_autoindex_Attribution_1" },
        { "execution", "context", "", "INDEX sqlite_autoindex_Association_1" },
        { "artifact", "context", "properties.shard.int_value = 7", "INDEX sqlite_autoindex_Attribution_1" },
        { "artifact", "all", "properties.shard.int_value = 7", "INDEX mds_artifact_property_int" },
        { "artifact", "all", "custom_properties.score.double_value = 0.5", "INDEX mds_artifact_property_double" },
        { "artifact", "all", "properties.split.string_value = 'train' AND uri LIKE 'file:%'", "INDEX mds_artifact_property_string" },
        { "artifact", "all", "custom_properties.approved.bool_value = true", "INDEX mds_artifact_property_bool" },
        { "artifact", "type", "properties.shard.int_value = 7", "INDEX mds_artifact_property_int" },
        { "execution", "all", "properties.seed.int_value = 7", "INDEX mds_execution_property_int" },
        { "context", "all", "properties.owner.string_value = 'ali'", "INDEX mds_context_property_string" },
        { "artifact", "all", "type = 'Model'", "INDEX mds_artifact_type" },
        { "execution", "all", "type = 'Trainer'", "INDEX mds_execution_type" },
        { "context", "all", "type = 'Experiment'", "INDEX mds_context_type" },
        { "artifact", "all", "state = LIVE", "INDEX mds_artifact_state" },
        { "execution", "all", "last_known_state = RUNNING", "INDEX mds_execution_state" },
    };

    public static TheoryData<string, string, string, string> TimeOrderShapes()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var (column, suffix) in new[] { ("create_time_since_epoch", "create_time"), ("last_update_time_since_epoch", "update_time") })
        {
            data.Add("artifact", "all", "", $"INDEX idx_artifact_{column}");
            data.Add("execution", "all", "", $"INDEX idx_execution_{column}");
            data.Add("artifact", "type", "", $"INDEX mds_artifact_type_{suffix}");
            data.Add("execution", "type", "", $"INDEX mds_execution_type_{suffix}");
            data.Add("context", "type", "", $"INDEX mds_context_type_{suffix}");
            data.Add("artifact", "all", "type = 'Model'", $"INDEX mds_artifact_type_{suffix}");
            data.Add("artifact", "all", "state = LIVE", $"INDEX mds_artifact_state_{suffix}");
            data.Add("execution", "all", "last_known_state = COMPLETE", $"INDEX mds_execution_state_{suffix}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IdOrderShapes))]
    public void Page_ordered_by_id_reads_index_in_order_when_shape_has_an_index(string kind, string scope, string filter, string index)
    {
        foreach (bool descending in new[] { false, true })
        {
            foreach (bool later in new[] { false, true })
            {
                IReadOnlyList<string> plan = Plan(kind, scope, filter, NodeOrder.Id, descending, later);
                AssertReadsInOrder(plan, index, equality: filter.Length > 0 || scope != "all");
                if (later && scope == "context")
                {
                    // The keyset enters the membership index at the cursor.
                    plan[0].Should().Contain(kind == "artifact" ? "artifact_id" : "execution_id").And.MatchRegex("[<>]\\?\\)");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(TimeOrderShapes))]
    public void Page_ordered_by_time_reads_index_in_order_and_starts_at_cursor(string kind, string scope, string filter, string index)
    {
        NodeOrder order = index.Contains("update", StringComparison.Ordinal) ? NodeOrder.LastUpdateTime : NodeOrder.CreateTime;
        foreach (bool descending in new[] { false, true })
        {
            AssertReadsInOrder(Plan(kind, scope, filter, order, descending, later: false), index, equality: filter.Length > 0 || scope != "all");

            IReadOnlyList<string> later = Plan(kind, scope, filter, order, descending, later: true);
            AssertReadsInOrder(later, index, equality: filter.Length > 0 || scope != "all");
            later.Should().Contain(line => line.Contains(descending ? "_since_epoch<?" : "_since_epoch>?", StringComparison.Ordinal),
                "a later page starts its index range at the cursor's time instead of walking from the first row");
        }
    }

    [Theory]
    [InlineData("artifact", "name = 'model-1'", "sqlite_autoindex_Artifact_2 (type_id=? AND name=?")]
    [InlineData("execution", "name = 'train-1'", "sqlite_autoindex_Execution_2 (type_id=? AND name=?")]
    [InlineData("artifact", "external_id = 'x'", "(external_id=?")]
    [InlineData("context", "external_id = 'x'", "(external_id=?")]
    public void Page_of_a_unique_equality_searches_index_when_filter_names_one_node_per_type(string kind, string filter, string index)
    {
        // At most one node per type (name) or one node (external id) matches, so the page is bounded without LIMIT.
        foreach (NodeOrder order in new[] { NodeOrder.Id, NodeOrder.CreateTime, NodeOrder.LastUpdateTime })
        {
            IReadOnlyList<string> plan = Plan(kind, "all", filter, order, descending: false, later: true);
            plan.Should().Contain(line => line.Contains("SEARCH n USING", StringComparison.Ordinal) && line.Contains(index, StringComparison.Ordinal));
            plan.Should().NotContain(line => line.StartsWith("SCAN", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Page_of_a_property_equality_reads_no_more_than_the_page_when_ordered_by_id()
    {
        // The form this replaces materialized every match first ("LIST SUBQUERY"), so its first page grew with the matches.
        IReadOnlyList<string> plan = Plan("artifact", "all", "properties.shard.int_value = 7 AND state = LIVE", NodeOrder.Id, descending: false, later: false);
        plan.Should().NotContain(line => line.Contains("LIST SUBQUERY", StringComparison.Ordinal));
        plan[0].Should().StartWith("SEARCH d USING COVERING INDEX mds_artifact_property_int");
        plan[1].Should().StartWith("SEARCH n USING INTEGER PRIMARY KEY");
    }

    private void AssertReadsInOrder(IReadOnlyList<string> plan, string index, bool equality)
    {
        plan.Should().NotContain(line => line.Contains("TEMP B-TREE", StringComparison.Ordinal), "the page must come out of the index in order");
        if (index.Length > 0)
        {
            plan.Should().Contain(line => (line + " ").Contains(index + " ", StringComparison.Ordinal));
        }

        if (equality)
        {
            plan.Should().NotContain(line => line.StartsWith("SCAN", StringComparison.Ordinal), "an equality is searched, not scanned");
            plan.Should().NotContain(line => line.Contains("LIST SUBQUERY", StringComparison.Ordinal), "no list of every match is built");
        }
    }

    private IReadOnlyList<string> Plan(string kind, string scope, string filter, NodeOrder order, bool descending, bool later)
    {
        NodeKind nodeKind = Kinds.Parse(kind);
        var query = new NodeListQuery
        {
            Kind = nodeKind,
            TypeId = scope == "type" ? 1 : null,
            ContextId = scope == "context" ? 1 : null,
            OrderBy = order,
            Descending = descending,
            Limit = 101,
            After = later ? new PageCursor(1_700_000_000_000, 500) : null,
            Filter = filter.Length == 0 ? null : FilterQuery.Compile(filter, nodeKind),
        };
        SqlBuilder builder = KeysetPager.Build(Dialect, query, names => ResolveTypes(nodeKind, names));
        using SqliteCommand command = _db.Connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + builder.Build();
        for (int i = 0; i < builder.Values.Count; i++)
        {
            command.Parameters.AddWithValue(Dialect.ParameterName(i + 1), builder.Values[i] ?? DBNull.Value);
        }

        var lines = new List<string>();
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                lines.Add(reader.GetString(3));
            }
        }

        _output.WriteLine($"{kind} {scope} [{filter}] {order} {(descending ? "desc" : "asc")} {(later ? "later" : "first")}:");
        _output.WriteLine(command.CommandText);
        _output.WriteLine(string.Join(Environment.NewLine, lines));
        return lines;
    }

    private List<long> ResolveTypes(NodeKind kind, IReadOnlyList<string> names)
    {
        int typeKind = kind switch { NodeKind.Execution => 0, NodeKind.Artifact => 1, _ => 2 };
        using SqliteCommand command = _db.Connection.CreateCommand();
        command.CommandText = $"SELECT id FROM Type WHERE type_kind = {typeKind} AND name IN ({string.Join(", ", names.Select((_, i) => "@n" + i))}) ORDER BY id";
        for (int i = 0; i < names.Count; i++)
        {
            command.Parameters.AddWithValue("@n" + i, names[i]);
        }

        var ids = new List<long>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }
}
