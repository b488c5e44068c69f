using System.Text.Json;
using FluentAssertions;
using MetadataStore.Query;
using MetadataStore.Storage;
using MetadataStore.Storage.Relational;
using Npgsql;
using Xunit.Abstractions;

namespace MetadataStore.PostgreSql.Tests;

/// <summary>
/// EXPLAIN of the statements the backend runs for a page of each listing shape, on its own DDL filled with realistic
/// rows: a keyset page is read in index order (no Sort), so the Limit on top stops it after its last row; an equality
/// filter is answered by an index scan on the index meant for it, never by a sequential scan, a bitmap scan or a hash
/// of every match.
/// </summary>
public sealed class PostgresListingPlanTest(ListingPlanDatabase db, ITestOutputHelper output) : IClassFixture<ListingPlanDatabase>
{
    /// <summary>Tables whose every row a page must never read; <c>type</c> is a handful of rows.</summary>
    private static readonly string[] LargeTables =
    [
        "artifact", "execution", "context", "artifactproperty", "executionproperty", "contextproperty", "attribution", "association",
    ];

    public static TheoryData<string, string, string, string> IdOrderShapes() => new()
    {
        // kind, scope (all | type | context), filter, index the page is read from
        { "artifact", "all", "", "artifact_pkey" },
        { "execution", "all", "", "execution_pkey" },
        { "context", "all", "", "context_pkey" },
        { "artifact", "type", "", "mds_artifact_type|artifact_pkey" },
        { "execution", "type", "", "mds_execution_type|execution_pkey" },
        { "context", "type", "", "mds_context_type|context_pkey" },
        { "artifact", "context", "", "attribution_context_id_artifact_id_key" },
        { "execution", "context", "", "association_context_id_execution_id_key" },
        { "artifact", "all", "properties.shard.int_value = 7", "mds_artifact_property_int" },
        { "artifact", "all", "custom_properties.score.double_value = 0.5", "mds_artifact_property_double" },
        { "artifact", "all", "custom_properties.approved.bool_value = true", "mds_artifact_property_bool" },
        { "artifact", "type", "properties.shard.int_value = 7", "mds_artifact_property_int" },
        { "execution", "all", "properties.seed.int_value = 7", "mds_execution_property_int" },
        { "artifact", "all", "type = 'Model'", "mds_artifact_type|artifact_pkey" },
        { "execution", "all", "type = 'Trainer'", "mds_execution_type|execution_pkey" },
        { "context", "all", "type = 'Experiment'", "mds_context_type|context_pkey" },
        { "artifact", "all", "state = DELETED", "mds_artifact_state|artifact_pkey" },
        { "execution", "all", "last_known_state = RUNNING", "mds_execution_state|execution_pkey" },
    };

    /// <summary>
    /// Shapes PostgreSQL would misestimate without the schema's extended statistics (it multiplies the selectivities
    /// of a property's name and value, and has none for the 255-character prefix a string value is compared by), or
    /// cannot estimate at all (how many of a context's members hold a value), and so would read and sort every match.
    /// Eight in ten split values are 'train': walking the primary key (owner, name) from the cursor stops as early.
    /// </summary>
    public static TheoryData<string, string, string, string> MisestimatedPropertyShapes() => new()
    {
        { "artifact", "context", "properties.shard.int_value = 7", "attribution_context_id_artifact_id_key" },
        { "artifact", "all", "properties.split.string_value = 'eval' AND uri LIKE 'file:%'", "mds_artifact_property_string" },
        { "artifact", "all", "properties.split.string_value = 'train'", "mds_artifact_property_string|artifactproperty_pkey" },
        { "context", "all", "properties.owner.string_value = 'ali'", "mds_context_property_string" },
    };

    public static TheoryData<string, string, string, string> TimeOrderShapes()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var suffix in new[] { "create_time", "update_time" })
        {
            data.Add("artifact", "all", "", $"mds_artifact_{suffix}");
            data.Add("execution", "all", "", $"mds_execution_{suffix}");
            data.Add("context", "all", "", $"mds_context_{suffix}");
            // A tenth of the rows match: the planner may also walk the time order and skip the rest (MLMD's time-only
            // index with each run of equal times sorted by id, or ours), which stops at the limit as well.
            var time = suffix == "create_time" ? "create_time_since_epoch" : "last_update_time_since_epoch";
            string Either(string table, string index) => $"{index}|mds_{table}_{suffix}|idx_{table}_{time}";
            data.Add("artifact", "type", "", Either("artifact", $"mds_artifact_type_{suffix}"));
            data.Add("execution", "type", "", Either("execution", $"mds_execution_type_{suffix}"));
            data.Add("context", "type", "", Either("context", $"mds_context_type_{suffix}"));
            data.Add("artifact", "all", "type = 'Model'", Either("artifact", $"mds_artifact_type_{suffix}"));
            data.Add("artifact", "all", "state = DELETED", Either("artifact", $"mds_artifact_state_{suffix}"));
            data.Add("execution", "all", "last_known_state = RUNNING", Either("execution", $"mds_execution_state_{suffix}"));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IdOrderShapes))]
    public async Task Page_ordered_by_id_reads_index_in_order(string kind, string scope, string filter, string index)
    {
        foreach (var descending in new[] { false, true })
        {
            foreach (var later in new[] { false, true })
            {
                var plan = await PlanAsync(kind, scope, filter, NodeOrder.Id, descending, later);
                AssertReadsInOrder(plan, index, equality: filter.Length > 0 || scope != "all");
                if (later)
                {
                    // The keyset enters the index at the cursor.
                    var column = scope == "context" ? (kind == "artifact" ? "artifact_id" : "execution_id") : index.Contains("property", StringComparison.Ordinal) ? kind + "_id" : "id";
                    plan.Scan(index).IndexCondition.Should().MatchRegex($"\\b{column} {(descending ? "<" : ">")} ", plan.Text);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(MisestimatedPropertyShapes))]
    public Task Page_of_a_misestimated_property_equality_reads_index_in_order(string kind, string scope, string filter, string index) =>
        Page_ordered_by_id_reads_index_in_order(kind, scope, filter, index);

    [Theory]
    [MemberData(nameof(TimeOrderShapes))]
    public async Task Page_ordered_by_time_reads_index_in_order_and_starts_at_cursor(string kind, string scope, string filter, string index)
    {
        var order = index.Contains("update", StringComparison.Ordinal) ? NodeOrder.LastUpdateTime : NodeOrder.CreateTime;
        var column = order == NodeOrder.CreateTime ? "create_time_since_epoch" : "last_update_time_since_epoch";
        foreach (var descending in new[] { false, true })
        {
            AssertReadsInOrder(await PlanAsync(kind, scope, filter, order, descending, later: false), index, equality: filter.Length > 0 || scope != "all");

            var later = await PlanAsync(kind, scope, filter, order, descending, later: true);
            AssertReadsInOrder(later, index, equality: filter.Length > 0 || scope != "all");
            // (time, id) > (v, i) on a (time, id) index; time >= v, which the planner derives, on a time-only one.
            later.Scan(index).IndexCondition.Should().MatchRegex($"{column}(, id\\))? {(descending ? "<" : ">")}",
                "a later page starts its index range at the cursor's time instead of walking from the first row\n" + later.Text);
        }
    }

    [Theory]
    [InlineData("artifact", "name = 'artifact-70'", "artifact_type_id_name_key", "name")]
    [InlineData("execution", "name = 'run-70'", "execution_type_id_name_key", "name")]
    [InlineData("context", "name = 'context-70'", "context_type_id_name_key", "name")]
    [InlineData("artifact", "external_id = 'a-70'", "", "external_id")]
    [InlineData("execution", "external_id = 'e-70'", "", "external_id")]
    [InlineData("context", "external_id = 'c-70'", "", "external_id")]
    [InlineData("artifact", "uri = 'file:///data/part-000070.parquet'", "idx_artifact_uri", "uri")]
    public async Task Page_of_a_near_unique_equality_searches_an_index(string kind, string filter, string index, string column)
    {
        // At most one node per type (name), one node (external id) or a few (uri) match: the page is bounded by the
        // matches, which may then be sorted.
        foreach (var order in new[] { NodeOrder.Id, NodeOrder.CreateTime, NodeOrder.LastUpdateTime })
        {
            var plan = await PlanAsync(kind, "all", filter, order, descending: false, later: true);
            var scans = plan.Nodes.Where(n => n.Relation == kind && n.IsIndexScan && (index.Length == 0 || n.Index == index)).ToList();
            scans.Count.Should().Be(1, plan.Text);
            scans[0].IndexCondition.Should().Contain(column, plan.Text);
            plan.Find(n => n.Relation == kind && !n.IsIndexScan).Should().BeEmpty("the node table is searched, not scanned\n" + plan.Text);
        }
    }

    [Fact]
    public async Task Page_of_a_common_value_still_reads_in_order()
    {
        // Most rows match: reading the id or time index and skipping the rest stops as early as any index would.
        foreach (var (kind, filter) in new[] { ("artifact", "state = LIVE"), ("execution", "last_known_state = COMPLETE") })
        {
            foreach (var order in new[] { NodeOrder.Id, NodeOrder.CreateTime, NodeOrder.LastUpdateTime })
            {
                var plan = await PlanAsync(kind, "all", filter, order, descending: true, later: true);
                AssertReadsInOrder(plan, index: string.Empty, equality: true);
            }
        }
    }

    [Fact]
    public async Task Page_of_a_property_equality_reads_no_more_than_the_page_when_ordered_by_id()
    {
        // The property index gives the owners in id order; each node is then fetched by its id (from the primary key,
        // or the (state, id) index, which answers the state too).
        var plan = await PlanAsync("artifact", "all", "properties.shard.int_value = 7 AND state = LIVE", NodeOrder.Id, descending: false, later: false);
        AssertReadsInOrder(plan, "mds_artifact_property_int", equality: true);
        plan.Find(n => n.Type == "Nested Loop").Should().NotBeEmpty(plan.Text);
        plan.Scan("artifact_pkey|mds_artifact_state").IndexCondition.Should().Contain("id = ", plan.Text);
    }

    private static void AssertReadsInOrder(Plan plan, string index, bool equality)
    {
        plan.Root.Type.Should().Be("Limit", "the page stops at its limit\n" + plan.Text);
        plan.Find(n => n.Type == "Sort").Should().BeEmpty("the page must come out of an index in order\n" + plan.Text);

        // MLMD's time-only index gives the time order; sorting each run of equal times by id still stops at the limit.
        plan.Find(n => n.Type == "Incremental Sort" && !n.PresortedKey.EndsWith("_since_epoch", StringComparison.Ordinal))
            .Should().BeEmpty("only the rows of one time are sorted at once\n" + plan.Text);
        plan.Find(n => n.Type == "Seq Scan" && LargeTables.Contains(n.Relation)).Should().BeEmpty("no table is read whole\n" + plan.Text);
        if (index.Length > 0)
        {
            plan.Find(n => n.IsIndexScan && index.Split('|').Contains(n.Index)).Should().NotBeEmpty($"the page is read from {index}\n" + plan.Text);
        }

        if (equality)
        {
            plan.Find(n => n.Type.StartsWith("Bitmap", StringComparison.Ordinal) && LargeTables.Contains(n.Relation))
                .Should().BeEmpty("a bitmap scan reads every match before the limit\n" + plan.Text);
            plan.Find(n => n.Type == "Hash" && n.Relations().Any(LargeTables.Contains)).Should().BeEmpty("no hash of every match is built\n" + plan.Text);
        }
    }

    private async Task<Plan> PlanAsync(string kind, string scope, string filter, NodeOrder order, bool descending, bool later)
    {
        var nodeKind = kind switch { "artifact" => NodeKind.Artifact, "execution" => NodeKind.Execution, _ => NodeKind.Context };
        var query = new NodeListQuery
        {
            Kind = nodeKind,
            TypeId = scope == "type" ? db.TypeId(nodeKind, nodeKind switch { NodeKind.Artifact => "Model", NodeKind.Execution => "Trainer", _ => "Experiment" }) : null,
            ContextId = scope == "context" ? db.BigContextId : null,
            OrderBy = order,
            Descending = descending,
            Limit = 101,
            After = later ? ListingPlanDatabase.MiddleCursor(nodeKind, order) : null,
            Filter = filter.Length == 0 ? null : FilterQuery.Compile(filter, nodeKind),
        };
        var builder = KeysetPager.Build(db.Dialect, query, names => db.ResolveTypes(nodeKind, names));
        var sql = builder.Build();

        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        var text = await ExplainAsync(connection, "EXPLAIN " + sql, builder.Values);
        var json = await ExplainAsync(connection, "EXPLAIN (FORMAT JSON) " + sql, builder.Values);
        var header = $"{kind} {scope} [{filter}] {order} {(descending ? "desc" : "asc")} {(later ? "later" : "first")}:\n{sql}\n{text}";
        output.WriteLine(header);
        using var document = JsonDocument.Parse(json);
        return new Plan(PlanNode.Read(document.RootElement[0].GetProperty("Plan")), header);
    }

    private static async Task<string> ExplainAsync(NpgsqlConnection connection, string sql, IReadOnlyList<object?> values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    private sealed record Plan(PlanNode Root, string Text)
    {
        public IReadOnlyList<PlanNode> Nodes { get; } = [.. Root.Descendants()];

        /// <summary>The nodes that match, each as one line.</summary>
        public IReadOnlyList<string> Find(Func<PlanNode, bool> predicate) => [.. Nodes.Where(predicate).Select(n => n.ToString())];

        /// <summary>The one index scan on <paramref name="index"/> (or on one of its '|'-separated alternatives).</summary>
        public PlanNode Scan(string index)
        {
            var scans = Nodes.Where(n => n.IsIndexScan && index.Split('|').Contains(n.Index)).ToList();
            scans.Count.Should().Be(1, $"the page is read from {index}\n" + Text);
            return scans[0];
        }
    }

    private sealed record PlanNode(string Type, string Relation, string Index, string IndexCondition, string PresortedKey, IReadOnlyList<PlanNode> Children)
    {
        public bool IsIndexScan => Type is "Index Scan" or "Index Only Scan";

        public static PlanNode Read(JsonElement node)
        {
            string Text(string name) => node.TryGetProperty(name, out var value) ? value.GetString() ?? string.Empty : string.Empty;
            var children = node.TryGetProperty("Plans", out var plans) ? plans.EnumerateArray().Select(Read).ToList() : [];
            var presorted = node.TryGetProperty("Presorted Key", out var keys) ? string.Join(", ", keys.EnumerateArray().Select(k => k.GetString())) : string.Empty;
            return new PlanNode(Text("Node Type"), Text("Relation Name"), Text("Index Name"), Text("Index Cond"), presorted, children);
        }

        public IEnumerable<PlanNode> Descendants() => Children.SelectMany(c => c.Descendants()).Prepend(this);

        public override string ToString() => $"{Type} {Relation} {Index} {IndexCondition}".TrimEnd();

        public IEnumerable<string> Relations() => Descendants().Select(n => n.Relation).Where(r => r.Length > 0);
    }
}
