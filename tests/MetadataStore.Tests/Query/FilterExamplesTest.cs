using FluentAssertions;
using MetadataStore.Query;
using MetadataStore.Storage;
using Xunit;

namespace MetadataStore.Tests.Query;

/// <summary>Every example query of MLMD's documentation and tests, run against MLMD's tables with known data.</summary>
public sealed class FilterExamplesTest : IDisposable
{
    private readonly FilterTestDatabase _db = new();
    private readonly long _a1, _a2, _a3, _a4, _a5, _e1, _e2, _e3, _c1, _c2, _c3, _c4;

    public FilterExamplesTest()
    {
        long t = _db.Type("T", 1), model = _db.Type("Model", 1), trainer = _db.Type("Trainer", 0);
        long run = _db.Type("RunContext", 2), pipeline = _db.Type("Pipeline", 2), parentType = _db.Type("parent_context_type_1", 2);
        _a1 = _db.Artifact(t, "a1", "uri_0", null, time: 10);
        _a2 = _db.Artifact(t, "a2", "uri_1", 2, time: 20);
        _a3 = _db.Artifact(t, "a3", "uri_2", 1, time: 30);
        _a4 = _db.Artifact(model, "Model", "URI_3", null, time: 40, externalId: "my_external_id");
        _a5 = _db.Artifact(model, "abandoned", null, 5, time: 50);
        _db.Property(NodeKind.Artifact, _a1, "p1", 0L);
        _db.Property(NodeKind.Artifact, _a2, "p1", 5L);
        _db.Property(NodeKind.Artifact, _a3, "c", "foo", custom: true);
        _db.Property(NodeKind.Artifact, _a4, "accuracy", 0.97);
        _db.Property(NodeKind.Artifact, _a4, "flag", true);
        _db.Property(NodeKind.Artifact, _a2, "custom_property:0", 3L, custom: true);
        _db.Property(NodeKind.Artifact, _a1, "my property", 1L);
        _e1 = _db.Execution(trainer, "exe_name_with_'", 2);
        _e2 = _db.Execution(trainer, "e2", 4);
        _e3 = _db.Execution(trainer, "e3", null);
        _c1 = _db.Context(run, "my_run", time: 1626761453);
        _c2 = _db.Context(pipeline, "my_pipeline");
        _c3 = _db.Context(run, "context_name_with_'");
        _c4 = _db.Context(parentType, "parent");
        _db.Property(NodeKind.Context, _c1, "custom_property_1", "foo", custom: true);
        _db.ParentContext(_c1, _c4);
        _db.Attribution(_c1, _a1);
        _db.Attribution(_c2, _a1);
        _db.Attribution(_c1, _a2);
        _db.Attribution(_c3, _a3);
        _db.Association(_c1, _e1);
        _db.Association(_c2, _e2);
        _db.Association(_c3, _e3);
        _db.Event(_a1, _e1, 3, 1);
        _db.Event(_a2, _e1, 4, 1);
        _db.Event(_a3, _e2, 4, 2);
    }

    public void Dispose() => _db.Dispose();

    /// <summary>MLMD-REFERENCE 3.5 examples 1-50 (placeholders such as $t replaced by literals).</summary>
    public static TheoryData<string, string> ValidExamples => new()
    {
        { "artifact", "id != 1" },
        { "artifact", "id IN (1, 3)" },
        { "artifact", "type_id = 5" },
        { "artifact", "type = 'my_type_name'" },
        { "artifact", "name = 'foo'" },
        { "artifact", "type = 'bar' AND name LIKE 'foo%'" },
        { "artifact", "external_id = 'my_external_id'" },
        { "artifact", "NOT(create_time_since_epoch < 1 OR last_update_time_since_epoch < 1)" },
        { "artifact", "uri = 'exact_path_string'" },
        { "artifact", "uri LIKE 'path_like_this%'" },
        { "artifact", "uri IS NOT NULL" },
        { "artifact", "state = LIVE" },
        { "artifact", "state IS NULL" },
        { "artifact", "state IN (PENDING, LIVE)" },
        { "execution", "last_known_state = RUNNING" },
        { "execution", "last_known_state != RUNNING" },
        { "execution", "last_known_state NOT IN (FAILED, CANCELED)" },
        { "artifact", "contexts_a.id = 5" },
        { "execution", "contexts_a.type = 'RunContext'" },
        { "artifact", "contexts_a.name = 'my_run'" },
        { "artifact", "contexts_a.create_time_since_epoch = 1626761453" },
        { "artifact", "contexts_a.name = 'my_run' AND contexts_b.name = 'my_pipeline'" },
        { "context", "artifacts_a.id = 5" },
        { "context", "artifacts_a.type = 'Dataset'" },
        { "context", "artifacts_a.uri = 'exact_path_string'" },
        { "context", "artifacts_a.state IN (PENDING, LIVE)" },
        { "context", "executions_a.last_known_state IN (NEW, RUNNING)" },
        { "context", "executions_a.name = 'my_run' AND executions_b.name = 'my_pipeline'" },
        { "artifact", "properties.accuracy.double_value > 0.95" },
        { "artifact", "custom_properties.my_param.string_value = \"foo\"" },
        { "artifact", "properties.`my property`.int_value > 0" },
        { "artifact", "custom_properties.`my:custom.property`.bool_value = true" },
        { "artifact", "type = 'DataSet' AND (contexts_a.type = 'RunContext' AND contexts_a.name = 'my_run') AND (properties.span.int_value = 1 OR custom_properties.span.int_value = 1)" },
        { "context", "parent_contexts_a.id = 5" },
        { "context", "child_contexts_a.type = 'RunContext'" },
        { "context", "parent_contexts_a.name = 'parent_context_1'" },
        { "artifact", "events_0.execution_id = 1" },
        { "artifact", "events_0.type = INPUT" },
        { "artifact", "events_0.milliseconds_since_epoch = 1" },
        { "execution", "events_0.artifact_id = 1" },
        { "execution", "events_0.type IN (INPUT, INTERNAL_INPUT)" },
        { "artifact", "type_id = 1 AND uri != 'abc'" },
        { "artifact", "NOT(type_id = 1)" },
        { "artifact", "NOT(type_id = 1) AND (contexts_foo.type = 'bar' OR uri like 'x%')" },
        { "artifact", "properties.0.int_value = 1" },
        { "artifact", "properties.bar_baz.double_value IS NOT NULL" },
        { "artifact", "properties.qux.bool_value = true" },
        { "artifact", "custom_properties.3.bool_value != false" },
        { "artifact", "type_id = 1 OR type = 'Dataset' AND contexts_0.name = '1' AND (properties.0.int_value > 1 OR custom_properties.0.int_value > 1) AND custom_properties.1.string_value IS NOT NULL" },
        { "artifact", "state=PENDING" },
        { "artifact", "state = PENDING AND state = LIVE" },
        { "artifact", "state NOT IN (DELETED)" },
        { "artifact", "state IN (LIVE, PENDING)" },
        { "execution", "last_known_state!=COMPLETE" },
        { "execution", "last_known_state IN (COMPLETE, RUNNING)" },
        { "execution", "last_known_state IS NOT NULL" },
        { "artifact", "events_0.type IN (OUTPUT, DECLARED_OUTPUT)" },
        { "artifact", "events_0.type = INPUT OR events_0.type = OUTPUT" },
        { "artifact", "contexts_0.name = 'properties.node.node'" },
        { "artifact", "contexts_0.id = 1 AND contexts_1.id != 2" },
        { "context", "(type_id = 1 OR type != 'foo') AND parent_contexts_0.id = 1" },
        { "context", "type = 'pipeline' AND (properties.p0.int_value > 1 OR custom_properties.p1.double_value > 0.9) AND (parent_contexts_0.name = 'parent_context1' AND parent_contexts_0.type = 'parent_context_type') AND (child_contexts_0.name = 'pipeline_run' AND child_contexts_0.type = 'runs')" },
        { "artifact", "uri = 'http://some_path' AND events_0.type = INPUT" },
        { "artifact", "uri LIKE 'uri_%' OR state = LIVE" },
        { "artifact", "uri LIKE 'uri_%' and type_id = 1 AND state IS NULL" },
        { "artifact", "uri LIKE 'uri_%' and type = 'T' and state != LIVE" },
        { "execution", "events_0.artifact_id = 1 AND events_0.type = OUTPUT" },
        { "artifact", "events_0.type = OUTPUT AND events_0.milliseconds_since_epoch = 1" },
        { "context", "artifacts_c.id = 1" },
        { "context", "executions_c.id = 1 AND artifacts_a.id = 2" },
        { "artifact", "contexts_c.name LIKE '%' AND contexts_c.type = 'T'" },
        { "execution", "contexts_a.id = 1 OR contexts_a.id = 2" },
        { "context", "parent_contexts_c.type = 'parent_context_type_1' AND custom_properties.custom_property_1.string_value = 'foo'" },
        { "artifact", "(properties.p1.int_value + 2) * 1 = 2" },
        { "artifact", "properties.p3.string_value LIKE '0%'" },
        { "artifact", "properties.p4.bool_value = true" },
        { "artifact", "custom_properties.custom_property_0.int_value IS NULL AND custom_properties.custom_property_0.double_value IS NULL AND custom_properties.custom_property_0.string_value = 'foo'" },
        { "artifact", "properties.p1.int_value = 0 AND custom_properties.`custom_property:0`.int_value > 0 AND custom_properties.`custom_property 0`.double_value > 0" },
        { "execution", "(contexts_0.type = 'context_type') AND (contexts_0.name = 'properties.component.component')" },
        { "execution", "name = \"exe_name_with_'\"" },
        { "execution", "contexts_1.name = \"context_name_with_'\"" },
        { "artifact", "custom_properties.p.int_value < 21 AND name LIKE 'node_2%'" },
        { "artifact", "type_id + 1 > 1" },
        { "artifact", "2.0 / 1.0 - (-0.5) > 0" },
    };

    [Theory]
    [MemberData(nameof(ValidExamples))]
    public void Ids_runs_when_example_is_valid(string kind, string filter)
    {
        var act = () => _db.Ids(Kinds.Parse(kind), filter);
        act.Should().NotThrow();
    }

    [Fact]
    public void Ids_match_mlmd_results_for_examples_with_known_outcome()
    {
        Artifacts("uri LIKE 'uri_%' OR state = LIVE").Should().Equal(_a1, _a2, _a3);
        Artifacts("uri LIKE 'uri_%' and type_id = 1 AND state IS NULL").Should().Equal(_a1);
        Artifacts("uri LIKE 'uri_%' and type = 'T' and state != LIVE").Should().Equal(_a1, _a3);
        Artifacts("state IN (PENDING, LIVE)").Should().Equal(_a2, _a3);
        Artifacts("state = PENDING AND state = LIVE").Should().BeEmpty();
        Artifacts("state NOT IN (LIVE)").Should().Equal(_a1, _a3, _a4, _a5);
        Artifacts("NOT (state = LIVE)").Should().Equal(_a3, _a5);
        Artifacts("id != 1").Should().Equal(_a2, _a3, _a4, _a5);
        Artifacts("id IN (1, 3)").Should().Equal(_a1, _a3);
        Artifacts("type = 'Model' AND name LIKE 'Mod%'").Should().Equal(_a4);
        Artifacts("external_id = 'my_external_id'").Should().Equal(_a4);
        Artifacts("NOT(create_time_since_epoch < 20 OR last_update_time_since_epoch > 40)").Should().Equal(_a2, _a3, _a4);
        Artifacts("contexts_a.name = 'my_run'").Should().Equal(_a1, _a2);
        Artifacts("contexts_a.name = 'my_run' AND contexts_b.name = 'my_pipeline'").Should().Equal(_a1);
        Artifacts("contexts_a.name = 'my_run' AND contexts_a.name = 'my_pipeline'").Should().BeEmpty();
        Artifacts("contexts_a.name = 'my_run' AND contexts_a.type = 'RunContext'").Should().Equal(_a1, _a2);
        Artifacts("contexts_c.name LIKE '%' AND contexts_c.type = 'RunContext'").Should().Equal(_a1, _a2, _a3);
        Artifacts("contexts_a.create_time_since_epoch = 1626761453").Should().Equal(_a1, _a2);
        Artifacts($"events_0.execution_id = {_e1} AND events_0.type = OUTPUT").Should().Equal(_a2);
        Artifacts("events_0.type = OUTPUT AND events_0.milliseconds_since_epoch = 1").Should().Equal(_a2);
        Artifacts("events_0.type = INPUT OR events_0.type = OUTPUT").Should().Equal(_a1, _a2, _a3);
        Artifacts("(properties.p1.int_value + 2) * 1 = 2").Should().Equal(_a1);
        Artifacts("properties.accuracy.double_value > 0.95").Should().Equal(_a4);
        Artifacts("properties.flag.bool_value = true").Should().Equal(_a4);
        Artifacts("properties.flag.bool_value").Should().Equal(_a4);
        Artifacts("properties.`my property`.int_value > 0").Should().Equal(_a1);
        Artifacts("custom_properties.c.int_value IS NULL AND custom_properties.c.double_value IS NULL AND custom_properties.c.string_value = 'foo'").Should().Equal(_a3);
        Artifacts("properties.p1.int_value = 0 AND custom_properties.`custom_property:0`.int_value > 0").Should().BeEmpty();
        Artifacts("properties.p1.int_value = 5 AND custom_properties.`custom_property:0`.int_value > 0").Should().Equal(_a2);

        Executions("last_known_state = RUNNING").Should().Equal(_e1);
        Executions("last_known_state != RUNNING").Should().Equal(_e2, _e3);
        Executions("last_known_state NOT IN (FAILED, CANCELED)").Should().Equal(_e1, _e3);
        Executions("last_known_state IS NOT NULL").Should().Equal(_e1, _e2);
        Executions($"contexts_a.id = {_c1} OR contexts_a.id = {_c2}").Should().Equal(_e1, _e2);
        Executions($"events_0.artifact_id = {_a1} AND events_0.type = OUTPUT").Should().BeEmpty();
        Executions($"events_0.artifact_id = {_a1} AND events_0.type = INPUT").Should().Equal(_e1);
        Executions("name = \"exe_name_with_'\"").Should().Equal(_e1);
        Executions("contexts_1.name = \"context_name_with_'\"").Should().Equal(_e3);

        Contexts($"artifacts_c.id = {_a1}").Should().Equal(_c1, _c2);
        Contexts($"executions_c.id = {_e1} AND artifacts_a.id = {_a2}").Should().Equal(_c1);
        Contexts($"executions_c.id = {_e2} AND artifacts_a.id = {_a2}").Should().BeEmpty();
        Contexts("artifacts_a.state IN (PENDING, LIVE)").Should().Equal(_c1, _c3);
        Contexts("parent_contexts_c.type = 'parent_context_type_1' AND custom_properties.custom_property_1.string_value = 'foo'").Should().Equal(_c1);
        Contexts("child_contexts_a.name = 'my_run'").Should().Equal(_c4);
        Contexts("(type_id = 1 OR type != 'foo') AND parent_contexts_0.name = 'parent'").Should().Equal(_c1);
    }

    [Fact]
    public void Ids_see_null_when_node_lacks_property()
    {
        // MLMD joins each property with an INNER JOIN, so both of these return nothing there.
        Artifacts("properties.p1.int_value > 1 OR custom_properties.c.string_value = 'foo'").Should().Equal(_a2, _a3);
        Artifacts("properties.p1.int_value IS NULL").Should().Equal(_a3, _a4, _a5);
        Artifacts("properties.unknown.int_value > 0 OR custom_properties.c.string_value = '0'").Should().BeEmpty();
        Artifacts("properties.unknown.int_value IS NULL OR custom_properties.c.string_value = 'x'").Should().Equal(_a1, _a2, _a3, _a4, _a5);

        // SQL three-valued logic: a missing property is NULL, so neither a comparison nor its negation matches it.
        Artifacts("properties.p1.int_value = 0").Should().Equal(_a1);
        Artifacts("NOT (properties.p1.int_value = 0)").Should().Equal(_a2);
        Artifacts("properties.p1.int_value != 0").Should().Equal(_a2);
        Artifacts("NOT (properties.p1.int_value IS NULL)").Should().Equal(_a1, _a2);
        Artifacts("properties.p1.int_value IS NULL OR properties.p1.int_value != 0").Should().Equal(_a2, _a3, _a4, _a5);
        Artifacts("NOT (properties.p1.int_value > 1 OR properties.p1.int_value < 0)").Should().Equal(_a1);

        // A property read next to another field still sees NULL (scalar subquery path).
        Artifacts("properties.p1.int_value + id > 0 OR name = 'abandoned'").Should().Equal(_a1, _a2, _a5);
        Artifacts("properties.p1.int_value < id").Should().Equal(_a1);
    }

    [Fact]
    public void Ids_accept_every_enum_value()
    {
        // MLMD refuses ABANDONED, REFERENCE (artifact state) and PENDING_OUTPUT, UNKNOWN (event type).
        Artifacts("state = ABANDONED").Should().Equal(_a5);
        Artifacts("state IN (REFERENCE, UNKNOWN)").Should().BeEmpty();
        Artifacts("events_0.type = PENDING_OUTPUT").Should().BeEmpty();
        Executions("events_0.type != UNKNOWN").Should().Equal(_e1, _e2);
    }

    [Fact]
    public void Ids_treat_literal_as_value_when_it_equals_column_name()
    {
        // MLMD's SQLite SQL quotes literals with "...", which SQLite may read as a column: type = 'name' matched a4 there.
        Artifacts("type = 'name'").Should().BeEmpty();
        Artifacts("name = \"type\"").Should().BeEmpty();
        Artifacts("type = 'Model'").Should().Equal(_a4, _a5);
    }

    [Fact]
    public void Ids_like_is_case_sensitive_with_percent_and_underscore_only()
    {
        Artifacts("uri LIKE 'uri%'").Should().Equal(_a1, _a2, _a3);
        Artifacts("uri LIKE 'URI%'").Should().Equal(_a4);
        Artifacts("uri LIKE 'uri__'").Should().Equal(_a1, _a2, _a3);
        Artifacts("uri LIKE 'uri_'").Should().BeEmpty();
        Artifacts("uri LIKE 'uri*'").Should().BeEmpty();
        Artifacts("uri LIKE 'uri?0'").Should().BeEmpty();
        Artifacts("uri LIKE '[u]ri%'").Should().BeEmpty();
        Artifacts("uri NOT LIKE 'uri%'").Should().Equal(_a4);
        Artifacts("NOT (uri LIKE '%_0')").Should().Equal(_a2, _a3, _a4);
        Artifacts("name LIKE 'a_'").Should().Equal(_a1, _a2, _a3);
    }

    private IReadOnlyList<long> Artifacts(string filter) => _db.Ids(NodeKind.Artifact, filter);

    private IReadOnlyList<long> Executions(string filter) => _db.Ids(NodeKind.Execution, filter);

    private IReadOnlyList<long> Contexts(string filter) => _db.Ids(NodeKind.Context, filter);
}
