using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>
/// Every example query of MLMD's documentation and tests, run through the listings on a store with known data:
/// each runs, and those with a known outcome match exactly the nodes they should.
/// </summary>
public abstract class FilterExamplesConformance(IStoreFactory factory) : IAsyncLifetime, IDisposable
{
    private IMetadataStore _store = null!;
    private long _t, _a1, _a2, _a3, _a4, _a5, _e1, _e2, _e3, _c1, _c2, _c3, _c4;

    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    /// <summary>Stores the data the examples are checked against.</summary>
    /// <returns>A task that ends when the data is stored.</returns>
    public async Task InitializeAsync()
    {
        // Creation (and update) times are set through the clock: artifacts 10 to 50 ms after the epoch, my_run at 1626761453 ms.
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        _store = await factory.OpenEmptyAsync(clock);
        _t = await _store.PutArtifactTypeAsync(ArtifactType.Named("T").WithProperty("p1", PropertyKind.Int).WithProperty("my property", PropertyKind.Int));
        await _store.PutArtifactTypeAsync(ArtifactType.Named("Model").WithProperty("accuracy", PropertyKind.Double).WithProperty("flag", PropertyKind.Boolean));
        await _store.PutExecutionTypeAsync(ExecutionType.Named("Trainer"));
        await _store.PutContextTypeAsync(ContextType.Named("RunContext"));
        await _store.PutContextTypeAsync(ContextType.Named("Pipeline"));
        await _store.PutContextTypeAsync(ContextType.Named("parent_context_type_1"));

        async Task<long> ArtifactAt(long milliseconds, Artifact artifact)
        {
            clock.Advance(DateTimeOffset.UnixEpoch.AddMilliseconds(milliseconds) - clock.GetUtcNow());
            return await _store.PutArtifactAsync(artifact);
        }

        _a1 = await ArtifactAt(10, Artifact.Of("T", "uri_0", "a1").With("p1", 0).With("my property", 1));
        _a2 = await ArtifactAt(20, Artifact.Of("T", "uri_1", "a2").With("p1", 5).WithCustom("custom_property:0", 3) with { State = ArtifactState.Live });
        _a3 = await ArtifactAt(30, Artifact.Of("T", "uri_2", "a3").WithCustom("c", "foo") with { State = ArtifactState.Pending });
        _a4 = await ArtifactAt(40, Artifact.Of("Model", "URI_3", "Model").With("accuracy", 0.97).With("flag", true) with { ExternalId = "my_external_id" });
        _a5 = await ArtifactAt(50, Artifact.Of("Model", name: "abandoned") with { State = ArtifactState.Abandoned });

        clock.Advance(DateTimeOffset.UnixEpoch - clock.GetUtcNow());
        var executions = await _store.PutExecutionsAsync(
            [Execution.Of("Trainer", ExecutionState.Running, "exe_name_with_'"), Execution.Of("Trainer", ExecutionState.Failed, "e2"), Execution.Of("Trainer", name: "e3")]);
        (_e1, _e2, _e3) = (executions[0], executions[1], executions[2]);

        clock.Advance(DateTimeOffset.UnixEpoch.AddMilliseconds(1626761453) - clock.GetUtcNow());
        _c1 = await _store.PutContextAsync(Context.Of("RunContext", "my_run").WithCustom("custom_property_1", "foo"));
        clock.Advance(DateTimeOffset.UnixEpoch - clock.GetUtcNow());
        var contexts = await _store.PutContextsAsync([Context.Of("Pipeline", "my_pipeline"), Context.Of("RunContext", "context_name_with_'"), Context.Of("parent_context_type_1", "parent")]);
        (_c2, _c3, _c4) = (contexts[0], contexts[1], contexts[2]);

        await _store.PutParentContextsAsync([new ParentContext(_c1, _c4)]);
        await _store.PutAttributionsAndAssociationsAsync(
            [new Attribution(_c1, _a1), new Attribution(_c2, _a1), new Attribution(_c1, _a2), new Attribution(_c3, _a3)],
            [new Association(_c1, _e1), new Association(_c2, _e2), new Association(_c3, _e3)]);
        await _store.PutEventsAsync(
        [
            Event.Of(EventType.Input, _a1, _e1) with { Time = DateTimeOffset.UnixEpoch.AddMilliseconds(1) },
            Event.Of(EventType.Output, _a2, _e1) with { Time = DateTimeOffset.UnixEpoch.AddMilliseconds(1) },
            Event.Of(EventType.Output, _a3, _e2) with { Time = DateTimeOffset.UnixEpoch.AddMilliseconds(2) },
        ]);
    }

    /// <summary>Closes the store.</summary>
    /// <returns>A task that ends when the store is closed.</returns>
    public async Task DisposeAsync() => await _store.DisposeAsync();

    /// <summary>MLMD-REFERENCE 3.5 examples (placeholders such as $t replaced by literals).</summary>
    private static readonly (string Kind, string Filter)[] ValidExamples =
    [
        ("artifact", "id != 1"),
        ("artifact", "id IN (1, 3)"),
        ("artifact", "type_id = 5"),
        ("artifact", "type = 'my_type_name'"),
        ("artifact", "name = 'foo'"),
        ("artifact", "type = 'bar' AND name LIKE 'foo%'"),
        ("artifact", "external_id = 'my_external_id'"),
        ("artifact", "NOT(create_time_since_epoch < 1 OR last_update_time_since_epoch < 1)"),
        ("artifact", "uri = 'exact_path_string'"),
        ("artifact", "uri LIKE 'path_like_this%'"),
        ("artifact", "uri IS NOT NULL"),
        ("artifact", "state = LIVE"),
        ("artifact", "state IS NULL"),
        ("artifact", "state IN (PENDING, LIVE)"),
        ("execution", "last_known_state = RUNNING"),
        ("execution", "last_known_state != RUNNING"),
        ("execution", "last_known_state NOT IN (FAILED, CANCELED)"),
        ("artifact", "contexts_a.id = 5"),
        ("execution", "contexts_a.type = 'RunContext'"),
        ("artifact", "contexts_a.name = 'my_run'"),
        ("artifact", "contexts_a.create_time_since_epoch = 1626761453"),
        ("artifact", "contexts_a.name = 'my_run' AND contexts_b.name = 'my_pipeline'"),
        ("context", "artifacts_a.id = 5"),
        ("context", "artifacts_a.type = 'Dataset'"),
        ("context", "artifacts_a.uri = 'exact_path_string'"),
        ("context", "artifacts_a.state IN (PENDING, LIVE)"),
        ("context", "executions_a.last_known_state IN (NEW, RUNNING)"),
        ("context", "executions_a.name = 'my_run' AND executions_b.name = 'my_pipeline'"),
        ("artifact", "properties.accuracy.double_value > 0.95"),
        ("artifact", "custom_properties.my_param.string_value = \"foo\""),
        ("artifact", "properties.`my property`.int_value > 0"),
        ("artifact", "custom_properties.`my:custom.property`.bool_value = true"),
        ("artifact", "type = 'DataSet' AND (contexts_a.type = 'RunContext' AND contexts_a.name = 'my_run') AND (properties.span.int_value = 1 OR custom_properties.span.int_value = 1)"),
        ("context", "parent_contexts_a.id = 5"),
        ("context", "child_contexts_a.type = 'RunContext'"),
        ("context", "parent_contexts_a.name = 'parent_context_1'"),
        ("artifact", "events_0.execution_id = 1"),
        ("artifact", "events_0.type = INPUT"),
        ("artifact", "events_0.milliseconds_since_epoch = 1"),
        ("execution", "events_0.artifact_id = 1"),
        ("execution", "events_0.type IN (INPUT, INTERNAL_INPUT)"),
        ("artifact", "type_id = 1 AND uri != 'abc'"),
        ("artifact", "NOT(type_id = 1)"),
        ("artifact", "NOT(type_id = 1) AND (contexts_foo.type = 'bar' OR uri like 'x%')"),
        ("artifact", "properties.0.int_value = 1"),
        ("artifact", "properties.bar_baz.double_value IS NOT NULL"),
        ("artifact", "properties.qux.bool_value = true"),
        ("artifact", "custom_properties.3.bool_value != false"),
        ("artifact", "type_id = 1 OR type = 'Dataset' AND contexts_0.name = '1' AND (properties.0.int_value > 1 OR custom_properties.0.int_value > 1) AND custom_properties.1.string_value IS NOT NULL"),
        ("artifact", "state=PENDING"),
        ("artifact", "state = PENDING AND state = LIVE"),
        ("artifact", "state NOT IN (DELETED)"),
        ("artifact", "state IN (LIVE, PENDING)"),
        ("execution", "last_known_state!=COMPLETE"),
        ("execution", "last_known_state IN (COMPLETE, RUNNING)"),
        ("execution", "last_known_state IS NOT NULL"),
        ("artifact", "events_0.type IN (OUTPUT, DECLARED_OUTPUT)"),
        ("artifact", "events_0.type = INPUT OR events_0.type = OUTPUT"),
        ("artifact", "contexts_0.name = 'properties.node.node'"),
        ("artifact", "contexts_0.id = 1 AND contexts_1.id != 2"),
        ("context", "(type_id = 1 OR type != 'foo') AND parent_contexts_0.id = 1"),
        ("context", "type = 'pipeline' AND (properties.p0.int_value > 1 OR custom_properties.p1.double_value > 0.9) AND (parent_contexts_0.name = 'parent_context1' AND parent_contexts_0.type = 'parent_context_type') AND (child_contexts_0.name = 'pipeline_run' AND child_contexts_0.type = 'runs')"),
        ("artifact", "uri = 'http://some_path' AND events_0.type = INPUT"),
        ("artifact", "uri LIKE 'uri_%' OR state = LIVE"),
        ("artifact", "uri LIKE 'uri_%' and type_id = 1 AND state IS NULL"),
        ("artifact", "uri LIKE 'uri_%' and type = 'T' and state != LIVE"),
        ("execution", "events_0.artifact_id = 1 AND events_0.type = OUTPUT"),
        ("artifact", "events_0.type = OUTPUT AND events_0.milliseconds_since_epoch = 1"),
        ("context", "artifacts_c.id = 1"),
        ("context", "executions_c.id = 1 AND artifacts_a.id = 2"),
        ("artifact", "contexts_c.name LIKE '%' AND contexts_c.type = 'T'"),
        ("execution", "contexts_a.id = 1 OR contexts_a.id = 2"),
        ("context", "parent_contexts_c.type = 'parent_context_type_1' AND custom_properties.custom_property_1.string_value = 'foo'"),
        ("artifact", "(properties.p1.int_value + 2) * 1 = 2"),
        ("artifact", "properties.p3.string_value LIKE '0%'"),
        ("artifact", "properties.p4.bool_value = true"),
        ("artifact", "custom_properties.custom_property_0.int_value IS NULL AND custom_properties.custom_property_0.double_value IS NULL AND custom_properties.custom_property_0.string_value = 'foo'"),
        ("artifact", "properties.p1.int_value = 0 AND custom_properties.`custom_property:0`.int_value > 0 AND custom_properties.`custom_property 0`.double_value > 0"),
        ("execution", "(contexts_0.type = 'context_type') AND (contexts_0.name = 'properties.component.component')"),
        ("execution", "name = \"exe_name_with_'\""),
        ("execution", "contexts_1.name = \"context_name_with_'\""),
        ("artifact", "custom_properties.p.int_value < 21 AND name LIKE 'node_2%'"),
        ("artifact", "type_id + 1 > 1"),
        ("artifact", "2.0 / 1.0 - (-0.5) > 0"),
    ];

    /// <summary>Listing runs every valid example.</summary>
    [Fact]
    public async Task Listing_runs_every_valid_example()
    {
        var failures = new List<string>();
        foreach (var (kind, filter) in ValidExamples)
        {
            try
            {
                await IdsAsync(kind, filter);
            }
            catch (MetadataStoreException ex)
            {
                failures.Add($"{kind}: {filter}: {ex.ErrorCode}: {ex.Message}");
            }
        }

        failures.Should().BeEmpty();
    }

    /// <summary>Listing matches mlmd results for examples with known outcome.</summary>
    [Fact]
    public async Task Listing_matches_mlmd_results_for_examples_with_known_outcome()
    {
        (await Artifacts("uri LIKE 'uri_%' OR state = LIVE")).Should().Equal(_a1, _a2, _a3);
        (await Artifacts($"uri LIKE 'uri_%' and type_id = {_t} AND state IS NULL")).Should().Equal(_a1);
        (await Artifacts("uri LIKE 'uri_%' and type = 'T' and state != LIVE")).Should().Equal(_a1, _a3);
        (await Artifacts("state IN (PENDING, LIVE)")).Should().Equal(_a2, _a3);
        (await Artifacts("state = PENDING AND state = LIVE")).Should().BeEmpty();
        (await Artifacts("state NOT IN (LIVE)")).Should().Equal(_a1, _a3, _a4, _a5);
        (await Artifacts("NOT (state = LIVE)")).Should().Equal(_a3, _a5);
        (await Artifacts($"id != {_a1}")).Should().Equal(_a2, _a3, _a4, _a5);
        (await Artifacts($"id IN ({_a1}, {_a3})")).Should().Equal(_a1, _a3);
        (await Artifacts("type = 'Model' AND name LIKE 'Mod%'")).Should().Equal(_a4);
        (await Artifacts("external_id = 'my_external_id'")).Should().Equal(_a4);
        (await Artifacts("NOT(create_time_since_epoch < 20 OR last_update_time_since_epoch > 40)")).Should().Equal(_a2, _a3, _a4);
        (await Artifacts("contexts_a.name = 'my_run'")).Should().Equal(_a1, _a2);
        (await Artifacts("contexts_a.name = 'my_run' AND contexts_b.name = 'my_pipeline'")).Should().Equal(_a1);
        (await Artifacts("contexts_a.name = 'my_run' AND contexts_a.name = 'my_pipeline'")).Should().BeEmpty();
        (await Artifacts("contexts_a.name = 'my_run' AND contexts_a.type = 'RunContext'")).Should().Equal(_a1, _a2);
        (await Artifacts("NOT contexts_a.name = 'my_run'")).Should().Equal(_a1, _a3);
        (await Artifacts("contexts_a.name = 'my_run' OR name = 'Model'")).Should().Equal(_a1, _a2);
        (await Artifacts("contexts_a.name = 'my_run' OR contexts_b.name = 'my_pipeline'")).Should().Equal(_a1, _a2);
        (await Artifacts("contexts_c.name LIKE '%' AND contexts_c.type = 'RunContext'")).Should().Equal(_a1, _a2, _a3);
        (await Artifacts("contexts_a.create_time_since_epoch = 1626761453")).Should().Equal(_a1, _a2);
        (await Artifacts($"events_0.execution_id = {_e1} AND events_0.type = OUTPUT")).Should().Equal(_a2);
        (await Artifacts("events_0.type = OUTPUT AND events_0.milliseconds_since_epoch = 1")).Should().Equal(_a2);
        (await Artifacts("events_0.type = INPUT OR events_0.type = OUTPUT")).Should().Equal(_a1, _a2, _a3);
        (await Artifacts("(properties.p1.int_value + 2) * 1 = 2")).Should().Equal(_a1);
        (await Artifacts("properties.accuracy.double_value > 0.95")).Should().Equal(_a4);
        (await Artifacts("properties.flag.bool_value = true")).Should().Equal(_a4);
        (await Artifacts("properties.flag.bool_value")).Should().Equal(_a4);
        (await Artifacts("properties.`my property`.int_value > 0")).Should().Equal(_a1);
        (await Artifacts("custom_properties.c.int_value IS NULL AND custom_properties.c.double_value IS NULL AND custom_properties.c.string_value = 'foo'")).Should().Equal(_a3);
        (await Artifacts("properties.p1.int_value = 0 AND custom_properties.`custom_property:0`.int_value > 0")).Should().BeEmpty();
        (await Artifacts("properties.p1.int_value = 5 AND custom_properties.`custom_property:0`.int_value > 0")).Should().Equal(_a2);

        (await Executions("last_known_state = RUNNING")).Should().Equal(_e1);
        (await Executions("last_known_state != RUNNING")).Should().Equal(_e2, _e3);
        (await Executions("last_known_state NOT IN (FAILED, CANCELED)")).Should().Equal(_e1, _e3);
        (await Executions("last_known_state IS NOT NULL")).Should().Equal(_e1, _e2);
        (await Executions($"contexts_a.id = {_c1} OR contexts_a.id = {_c2}")).Should().Equal(_e1, _e2);
        (await Executions($"events_0.artifact_id = {_a1} AND events_0.type = OUTPUT")).Should().BeEmpty();
        (await Executions($"events_0.artifact_id = {_a1} AND events_0.type = INPUT")).Should().Equal(_e1);
        (await Executions("name = \"exe_name_with_'\"")).Should().Equal(_e1);
        (await Executions("contexts_1.name = \"context_name_with_'\"")).Should().Equal(_e3);

        (await Contexts($"artifacts_c.id = {_a1}")).Should().Equal(_c1, _c2);
        (await Contexts($"executions_c.id = {_e1} AND artifacts_a.id = {_a2}")).Should().Equal(_c1);
        (await Contexts($"executions_c.id = {_e2} AND artifacts_a.id = {_a2}")).Should().BeEmpty();
        (await Contexts("artifacts_a.state IN (PENDING, LIVE)")).Should().Equal(_c1, _c3);
        (await Contexts("parent_contexts_c.type = 'parent_context_type_1' AND custom_properties.custom_property_1.string_value = 'foo'")).Should().Equal(_c1);
        (await Contexts("child_contexts_a.name = 'my_run'")).Should().Equal(_c4);
        (await Contexts("(type_id = 1 OR type != 'foo') AND parent_contexts_0.name = 'parent'")).Should().Equal(_c1);
    }

    /// <summary>Listing sees null when node lacks property.</summary>
    [Fact]
    public async Task Listing_sees_null_when_node_lacks_property()
    {
        // MLMD joins each property with an INNER JOIN, so both of these return nothing there.
        (await Artifacts("properties.p1.int_value > 1 OR custom_properties.c.string_value = 'foo'")).Should().Equal(_a2, _a3);
        (await Artifacts("properties.p1.int_value IS NULL")).Should().Equal(_a3, _a4, _a5);
        (await Artifacts("properties.unknown.int_value > 0 OR custom_properties.c.string_value = '0'")).Should().BeEmpty();
        (await Artifacts("properties.unknown.int_value IS NULL OR custom_properties.c.string_value = 'x'")).Should().Equal(_a1, _a2, _a3, _a4, _a5);

        // SQL three-valued logic: a missing property is NULL, so neither a comparison nor its negation matches it.
        (await Artifacts("properties.p1.int_value = 0")).Should().Equal(_a1);
        (await Artifacts("NOT (properties.p1.int_value = 0)")).Should().Equal(_a2);
        (await Artifacts("properties.p1.int_value != 0")).Should().Equal(_a2);
        (await Artifacts("NOT (properties.p1.int_value IS NULL)")).Should().Equal(_a1, _a2);
        (await Artifacts("properties.p1.int_value IS NULL OR properties.p1.int_value != 0")).Should().Equal(_a2, _a3, _a4, _a5);
        (await Artifacts("NOT (properties.p1.int_value > 1 OR properties.p1.int_value < 0)")).Should().Equal(_a1);

        // A property read next to another field still sees NULL.
        (await Artifacts("properties.p1.int_value + id > 0 OR name = 'abandoned'")).Should().Equal(_a1, _a2, _a5);
        (await Artifacts("properties.p1.int_value < id")).Should().Equal(_a2 > 5 ? [_a1, _a2] : [_a1]);
    }

    /// <summary>Listing accepts every enum value.</summary>
    [Fact]
    public async Task Listing_accepts_every_enum_value()
    {
        // MLMD refuses ABANDONED, REFERENCE (artifact state) and PENDING_OUTPUT, UNKNOWN (event type).
        (await Artifacts("state = ABANDONED")).Should().Equal(_a5);
        (await Artifacts("state IN (REFERENCE, UNKNOWN)")).Should().BeEmpty();
        (await Artifacts("events_0.type = PENDING_OUTPUT")).Should().BeEmpty();
        (await Executions("events_0.type != UNKNOWN")).Should().Equal(_e1, _e2);
    }

    /// <summary>Listing treats literal as value when it equals column name.</summary>
    [Fact]
    public async Task Listing_treats_literal_as_value_when_it_equals_column_name()
    {
        // MLMD's SQLite SQL quotes literals with "...", which SQLite may read as a column: type = 'name' matched a4 there.
        (await Artifacts("type = 'name'")).Should().BeEmpty();
        (await Artifacts("name = \"type\"")).Should().BeEmpty();
        (await Artifacts("type = 'Model'")).Should().Equal(_a4, _a5);
    }

    /// <summary>Listing like is case sensitive with percent and underscore only.</summary>
    [Fact]
    public async Task Listing_like_is_case_sensitive_with_percent_and_underscore_only()
    {
        // An artifact put without a URI has the empty URI, which no pattern below but NOT LIKE matches.
        (await Artifacts("uri LIKE 'uri%'")).Should().Equal(_a1, _a2, _a3);
        (await Artifacts("uri LIKE 'URI%'")).Should().Equal(_a4);
        (await Artifacts("uri LIKE 'uri__'")).Should().Equal(_a1, _a2, _a3);
        (await Artifacts("uri LIKE 'uri_'")).Should().BeEmpty();
        (await Artifacts("uri LIKE 'uri*'")).Should().BeEmpty();
        (await Artifacts("uri LIKE 'uri?0'")).Should().BeEmpty();
        (await Artifacts("uri LIKE '[u]ri%'")).Should().BeEmpty();
        (await Artifacts("uri NOT LIKE 'uri%'")).Should().Equal(_a4, _a5);
        (await Artifacts("NOT (uri LIKE '%_0')")).Should().Equal(_a2, _a3, _a4, _a5);
        (await Artifacts("name LIKE 'a_'")).Should().Equal(_a1, _a2, _a3);
    }

    private async Task<IReadOnlyList<long>> IdsAsync(string kind, string filter)
    {
        var options = new NodeListOptions { PageSize = NodeListOptions.MaxPageSize, Filter = filter };
        return kind switch
        {
            "artifact" => (await _store.ListArtifactsAsync(options)).Items.Select(n => n.StoredId).ToList(),
            "execution" => (await _store.ListExecutionsAsync(options)).Items.Select(n => n.StoredId).ToList(),
            _ => (await _store.ListContextsAsync(options)).Items.Select(n => n.StoredId).ToList(),
        };
    }

    private Task<IReadOnlyList<long>> Artifacts(string filter) => IdsAsync("artifact", filter);

    private Task<IReadOnlyList<long>> Executions(string filter) => IdsAsync("execution", filter);

    private Task<IReadOnlyList<long>> Contexts(string filter) => IdsAsync("context", filter);
}
