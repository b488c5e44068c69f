using FluentAssertions;
using MetadataStore.Storage;
using Xunit;
using Xunit.Abstractions;

namespace MetadataStore.Tests.Query;

/// <summary>The main filter shapes let SQLite use MLMD's indexes or our covering property indexes (read from EXPLAIN QUERY PLAN of a filtered page).</summary>
public sealed class FilterQueryPlanTest : IDisposable
{
    private readonly FilterTestDatabase _db = new();
    private readonly ITestOutputHelper _output;

    public FilterQueryPlanTest(ITestOutputHelper output)
    {
        _output = output;
    }

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData("artifact", "properties.accuracy.double_value > 0.9", "mds_artifact_property_double")]
    [InlineData("artifact", "custom_properties.epochs.int_value = 3", "mds_artifact_property_int")]
    [InlineData("execution", "properties.framework.string_value = 'torch'", "mds_execution_property_string")]
    [InlineData("context", "custom_properties.owner.string_value LIKE 'ali%'", "mds_context_property_string")]
    [InlineData("artifact", "properties.p.int_value IS NULL", "mds_artifact_property_int")]
    [InlineData("artifact", "name = 'model-1'", "sqlite_autoindex_Artifact_2")]
    [InlineData("artifact", "type = 'Model'", "idx_type_name")]
    [InlineData("artifact", "type = 'Model' AND name LIKE 'foo%'", "sqlite_autoindex_Artifact_2")]
    [InlineData("artifact", "uri = 'file:///m'", "idx_artifact_uri")]
    [InlineData("artifact", "uri LIKE 'file:///models/%'", "idx_artifact_uri")]
    [InlineData("artifact", "external_id = 'x'", "(external_id=?)")]
    [InlineData("execution", "create_time_since_epoch > 1700000000000 AND create_time_since_epoch < 1800000000000", "idx_execution_create_time_since_epoch")]
    [InlineData("context", "last_update_time_since_epoch = 5", "idx_context_last_update_time_since_epoch")]
    [InlineData("execution", "name = 'train-1'", "sqlite_autoindex_Execution_2 (type_id=? AND name=?")]
    [InlineData("artifact", "contexts_a.name = 'run-1'", "sqlite_autoindex_Context_2 (type_id=? AND name=?)")]
    [InlineData("artifact", "contexts_a.id = 5", "sqlite_autoindex_Attribution_1")]
    [InlineData("execution", "contexts_a.name = 'run-1' AND contexts_a.type = 'Run'", "sqlite_autoindex_Association_1")]
    [InlineData("context", "artifacts_a.id = 5", "mds_attribution_artifact_id")]
    [InlineData("context", "parent_contexts_a.id = 5", "idx_parentcontext_parent_context_id")]
    [InlineData("execution", "events_a.artifact_id = 7", "sqlite_autoindex_Event_1")]
    public void Plan_uses_index_when_filter_has_main_shape(string kind, string filter, string index)
    {
        IReadOnlyList<string> plan = _db.Plan(Kinds.Parse(kind), filter);
        _output.WriteLine(string.Join(Environment.NewLine, plan));
        plan.Should().Contain(line => line.Contains(index, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("create_time_since_epoch > 1700000000000", "create_time_since_epoch", "idx_artifact_create_time_since_epoch")]
    [InlineData("last_update_time_since_epoch < 1700000000000", "last_update_time_since_epoch", "idx_artifact_last_update_time_since_epoch")]
    public void Plan_uses_time_index_when_ordered_by_that_time(string filter, string orderBy, string index)
    {
        IReadOnlyList<string> plan = _db.Plan(NodeKind.Artifact, filter, orderBy);
        _output.WriteLine(string.Join(Environment.NewLine, plan));
        plan.Should().Contain(line => line.Contains(index, StringComparison.Ordinal));
    }
}
