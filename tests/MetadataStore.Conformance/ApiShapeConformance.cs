using FluentAssertions;
using MetadataStore.Filtering;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>
/// The shape of the public API through a real store: the overloads without a type version, stored ids, equality by
/// content, streaming every listing, artifacts read with their types, empty id collections, and re-running a step.
/// </summary>
public abstract class ApiShapeConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    /// <summary>GetByTypeAndNameAsync without version reads the node of the unversioned type.</summary>
    [Fact]
    public async Task GetByTypeAndNameAsync_without_version_reads_the_node_of_the_unversioned_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        await store.PutTypesAsync([new ArtifactType("A"), new ArtifactType("A") { Version = "v2" }], [new ExecutionType("E")], [new ContextType("C")]);
        var versioned = await store.GetArtifactTypeAsync("A", "v2");
        var unversionedId = (await store.PutArtifactsAsync([Artifact.Of("A", name: "n")]))[0];
        await store.PutArtifactsAsync([Artifact.Of(versioned.StoredId, "other", "n")]);
        var executionId = (await store.PutExecutionsAsync([Execution.Of("E", name: "run")]))[0];
        var contextId = (await store.PutContextsAsync([Context.Of("C", "exp")]))[0];

        (await store.GetArtifactByTypeAndNameAsync("A", "n"))!.StoredId.Should().Be(unversionedId);
        (await store.GetArtifactByTypeAndNameAsync("A", "n")).Should().Be(await store.GetArtifactByTypeAndNameAsync("A", null, "n"));
        (await store.GetArtifactByTypeAndNameAsync("A", "v2", "n"))!.Uri.Should().Be("other");
        (await store.GetExecutionByTypeAndNameAsync("E", "run"))!.StoredId.Should().Be(executionId);
        (await store.GetContextByTypeAndNameAsync("C", "exp"))!.StoredId.Should().Be(contextId);
        (await store.GetContextByTypeAndNameAsync("C", "missing")).Should().BeNull();
        (await store.GetExecutionByTypeAndNameAsync("NoSuchType", "run")).Should().BeNull();
    }

    /// <summary>StoredId gives the id of a stored node or type and refuses a new one.</summary>
    [Fact]
    public async Task StoredId_gives_the_id_of_a_stored_node_or_type_and_refuses_a_new_one()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId));

        (await store.GetArtifactAsync(id)).StoredId.Should().Be(id);
        type.StoredId.Should().Be(type.Id!.Value);
        var unstored = () => Artifact.Of("Model").StoredId;
        unstored.Should().Throw<MetadataStoreException>().Which.Should().Match<MetadataStoreException>(e => e.ErrorCode == MetadataErrorCode.FailedPrecondition && e.Message.Contains("artifact"));
        var unstoredContext = () => Context.Of("Experiment", "x").StoredId;
        unstoredContext.Should().Throw<MetadataStoreException>().Which.Message.Should().Contain("context");
        var unstoredType = () => new ExecutionType("Trainer").StoredId;
        unstoredType.Should().Throw<MetadataStoreException>().Which.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);
    }

    /// <summary>Nodes types and events read twice are equal by content.</summary>
    [Fact]
    public async Task Nodes_types_and_events_read_twice_are_equal_by_content()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("accuracy", PropertyKind.Double));
        var executionType = await store.AddExecutionTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId, "u").With("accuracy", 0.9).WithCustom("tag", "gold"));
        var executionId = await store.PutSingleExecutionAsync(Execution.Of(executionType.StoredId));
        await store.PutEventsAsync([Event.Of(EventType.Output, id, executionId).WithPath("models", 0) with { Time = DateTimeOffset.FromUnixTimeMilliseconds(1_000) }]);

        var first = await store.GetArtifactAsync(id);
        var second = await store.GetArtifactAsync(id);
        first.Should().NotBeSameAs(second);
        first.Should().Be(second);
        first.GetHashCode().Should().Be(second.GetHashCode());
        first.WithCustom("tag", "silver").Should().NotBe(second);
        (first with { Properties = new Dictionary<string, PropertyValue> { ["accuracy"] = 0.9 } }).Should().Be(second);
        (await store.GetArtifactTypeAsync(type.Name)).Should().Be(await store.GetArtifactTypeAsync(type.Name));
        (await store.GetEventsByArtifactIdsAsync([id])).Single().Should().Be((await store.GetEventsByArtifactIdsAsync([id])).Single());
        (await store.ListArtifactsAsync()).Should().Be(await store.ListArtifactsAsync());
    }

    /// <summary>ListingEnumerations stream every page with the options filter and order.</summary>
    [Fact]
    public async Task ListingEnumerations_stream_every_page_with_the_options_filter_and_order()
    {
        await using var store = await factory.OpenEmptyAsync();
        var seed = await SeedAsync(store);
        var options = new NodeListOptions { PageSize = 2, Filter = Filter.CustomProperty("keep").BoolValue == true, OrderBy = NodeOrder.CreateTime, Descending = true };

        (await store.EnumerateArtifactsAsync(options).Select(a => a.StoredId).ToListAsync()).Should().Equal([seed.OtherArtifact, .. seed.KeptArtifacts.AsEnumerable().Reverse()]);
        (await store.EnumerateExecutionsAsync(options).Select(a => a.StoredId).ToListAsync()).Should().Equal([seed.OtherExecution, .. seed.KeptExecutions.AsEnumerable().Reverse()]);
        (await store.EnumerateContextsAsync(options).Select(a => a.StoredId).ToListAsync()).Should().Equal(seed.KeptContexts.AsEnumerable().Reverse());
        (await store.EnumerateArtifactsByTypeAsync("A", options: options).Select(a => a.StoredId).ToListAsync()).Should().Equal(seed.KeptArtifacts.AsEnumerable().Reverse());
        (await store.EnumerateExecutionsByTypeAsync("E", options: options).Select(a => a.StoredId).ToListAsync()).Should().Equal(seed.KeptExecutions.AsEnumerable().Reverse());
        (await store.EnumerateContextsByTypeAsync("C", options: options).Select(a => a.StoredId).ToListAsync()).Should().Equal(seed.KeptContexts.AsEnumerable().Reverse());
        (await store.EnumerateArtifactsByContextAsync(seed.Group, options).Select(a => a.StoredId).ToListAsync()).Should().Equal(seed.KeptArtifacts.AsEnumerable().Reverse());
        (await store.EnumerateExecutionsByContextAsync(seed.Group, options).Select(a => a.StoredId).ToListAsync()).Should().Equal(seed.KeptExecutions.AsEnumerable().Reverse());
        (await store.EnumerateArtifactsByTypeAsync("A", "v9").ToListAsync()).Should().BeEmpty();
    }

    /// <summary>ListingEnumerations stop when cancelled and report a bad option when enumerated.</summary>
    [Fact]
    public async Task ListingEnumerations_stop_when_cancelled_and_report_a_bad_option_when_enumerated()
    {
        await using var store = await factory.OpenEmptyAsync();
        await SeedAsync(store);
        using var cancel = new CancellationTokenSource();
        var read = 0;

        var stream = async () =>
        {
            await foreach (var artifact in store.EnumerateArtifactsByTypeAsync("A", options: new NodeListOptions { PageSize = 1 }).WithCancellation(cancel.Token))
            {
                read++;
                await cancel.CancelAsync();
            }
        };

        await stream.Should().ThrowAsync<OperationCanceledException>();
        read.Should().Be(1);
        var bad = store.EnumerateExecutionsByContextAsync(1, new NodeListOptions { Filter = "no_such_field = 1" });
        var enumerate = async () => await bad.ToListAsync();
        await enumerate.Should().ThrowAsync<MetadataStoreException>().Where(e => e.ErrorCode == MetadataErrorCode.InvalidArgument);
    }

    /// <summary>GetArtifactsWithTypesByIdAsync reads each artifact with its type and skips unknown ids.</summary>
    [Fact]
    public async Task GetArtifactsWithTypesByIdAsync_reads_each_artifact_with_its_type_and_skips_unknown_ids()
    {
        await using var store = await factory.OpenEmptyAsync();
        var model = await store.AddArtifactTypeAsync(("accuracy", PropertyKind.Double));
        var dataset = await store.AddArtifactTypeAsync();
        var ids = await store.PutArtifactsAsync([Artifact.Of(model.StoredId).With("accuracy", 0.5), Artifact.Of(dataset.StoredId), Artifact.Of(model.StoredId)]);

        var read = await store.GetArtifactsWithTypesByIdAsync([ids[2], ids[0], 999_999, ids[1]]);

        read.Select(r => r.Artifact.StoredId).Should().Equal(ids);
        read.Select(r => r.Type.Name).Should().Equal(model.Name, dataset.Name, model.Name);
        read[0].Type.Should().Be(await store.GetArtifactTypeAsync(model.Name));
        read[0].Artifact.Should().Be(await store.GetArtifactAsync(ids[0]));
        (await store.GetArtifactsWithTypesByIdAsync([])).Should().BeEmpty();
    }

    /// <summary>Every read by ids returns empty for no ids.</summary>
    [Fact]
    public async Task Every_read_by_ids_returns_empty_for_no_ids()
    {
        await using var store = await factory.OpenEmptyAsync();

        (await store.GetArtifactsByIdAsync([])).Should().BeEmpty();
        (await store.GetExecutionsByIdAsync([])).Should().BeEmpty();
        (await store.GetContextsByIdAsync([])).Should().BeEmpty();
        (await store.GetArtifactsWithTypesByIdAsync([])).Should().BeEmpty();
        (await store.GetArtifactsByUriAsync([])).Should().BeEmpty();
        (await store.GetArtifactsByExternalIdAsync([])).Should().BeEmpty();
        (await store.GetExecutionsByExternalIdAsync([])).Should().BeEmpty();
        (await store.GetContextsByExternalIdAsync([])).Should().BeEmpty();
        (await store.GetArtifactTypesByIdAsync([])).Should().BeEmpty();
        (await store.GetExecutionTypesByIdAsync([])).Should().BeEmpty();
        (await store.GetContextTypesByIdAsync([])).Should().BeEmpty();
        (await store.GetArtifactTypesByExternalIdAsync([])).Should().BeEmpty();
        (await store.GetExecutionTypesByExternalIdAsync([])).Should().BeEmpty();
        (await store.GetContextTypesByExternalIdAsync([])).Should().BeEmpty();
        (await store.GetEventsByArtifactIdsAsync([])).Should().BeEmpty();
        (await store.GetEventsByExecutionIdsAsync([])).Should().BeEmpty();
        (await store.GetParentContextsByContextsAsync([])).Should().BeEmpty();
        (await store.GetChildContextsByContextsAsync([])).Should().BeEmpty();
        (await store.PutArtifactsAsync([])).Should().BeEmpty();
        await store.PutEventsAsync([]);
        await store.PutParentContextsAsync([]);
        await store.PutAttributionsAndAssociationsAsync([], []);
    }

    /// <summary>PutExecutionAsync gives a null id for a pair without an artifact.</summary>
    [Fact]
    public async Task PutExecutionAsync_gives_a_null_id_for_a_pair_without_an_artifact()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddExecutionTypeAsync();
        var artifactType = await store.AddArtifactTypeAsync();

        var result = await store.PutExecutionAsync(Execution.Of(type.StoredId), [new(Artifact.Of(artifactType.StoredId), null), new(null, null)], []);

        result.ArtifactIds.Should().HaveCount(2);
        result.ArtifactIds[0].Should().NotBeNull();
        result.ArtifactIds[1].Should().BeNull();
        result.Should().Be(new PutExecutionResult(result.ExecutionId, [result.ArtifactIds[0], null], []));
    }

    /// <summary>RecordExecutionAsync fails AlreadyExists on a rerun without options and changes nothing.</summary>
    [Fact]
    public async Task RecordExecutionAsync_fails_AlreadyExists_on_a_rerun_without_options_and_changes_nothing()
    {
        await using var store = await factory.OpenEmptyAsync();
        await RecordStepAsync(store, ExecutionState.Running, options: null);
        var before = await store.SnapshotAsync();

        var rerun = () => RecordStepAsync(store, ExecutionState.Complete, options: null);

        await rerun.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>RecordExecutionAsync rerun reuses the stored inputs outputs execution and context.</summary>
    [Fact]
    public async Task RecordExecutionAsync_rerun_reuses_the_stored_inputs_outputs_execution_and_context()
    {
        await using var store = await factory.OpenEmptyAsync();
        var reuse = new RecordExecutionOptions { ReuseExistingArtifacts = true, ReuseExistingExecution = true };
        var first = await RecordStepAsync(store, ExecutionState.Running, reuse);

        var second = await RecordStepAsync(store, ExecutionState.Complete, reuse);

        second.Execution.StoredId.Should().Be(first.Execution.StoredId);
        second.Execution.LastKnownState.Should().Be(ExecutionState.Complete);
        second.Inputs["examples"].Should().Be(first.Inputs["examples"]);
        second.Outputs["model"].Should().Be(first.Outputs["model"]);
        second.Context!.StoredId.Should().Be(first.Context!.StoredId);
        (await store.AllArtifactsAsync()).Should().HaveCount(2);
        (await store.AllExecutionsAsync()).Should().ContainSingle();
        (await store.GetEventsByExecutionIdsAsync([first.Execution.StoredId])).Select(e => (e.ArtifactId, e.Type)).Should().BeEquivalentTo(
            [(first.Inputs["examples"].Id, EventType.Input), (first.Outputs["model"].Id, EventType.Output)]);
        (await store.ListArtifactsByContextAsync(first.Context.StoredId)).Items.Should().HaveCount(2);
    }

    /// <summary>RecordExecutionAsync rerun adds a new output and reuses an input found by external id.</summary>
    [Fact]
    public async Task RecordExecutionAsync_rerun_adds_a_new_output_and_reuses_an_input_found_by_external_id()
    {
        await using var store = await factory.OpenEmptyAsync();
        var reuse = new RecordExecutionOptions { ReuseExistingArtifacts = true, ReuseExistingExecution = true };
        var first = await RecordStepAsync(store, ExecutionState.Running, reuse);

        var second = await store.RecordExecutionAsync(
            Execution.Of("Trainer", ExecutionState.Complete, "train-1"),
            inputs: new Dictionary<string, Artifact> { ["examples"] = Artifact.Of("Dataset", "file:///renamed") with { ExternalId = "ds-1" } },
            outputs: new Dictionary<string, Artifact> { ["model"] = Artifact.Of("Model", "file:///m", "model-1"), ["report"] = Artifact.Of("Report", "file:///r") },
            context: Context.Of("Experiment", "exp-1"),
            options: reuse);

        second.Inputs["examples"].Should().Be(first.Inputs["examples"]);
        second.Outputs["report"].StoredId.Should().NotBe(first.Outputs["model"].StoredId);
        (await store.GetEventsByExecutionIdsAsync([first.Execution.StoredId])).Should().HaveCount(3);
    }

    private static Task<RecordedExecution> RecordStepAsync(IMetadataStore store, ExecutionState state, RecordExecutionOptions? options) =>
        store.RecordExecutionAsync(
            Execution.Of("Trainer", state, "train-1"),
            inputs: new Dictionary<string, Artifact> { ["examples"] = Artifact.Of("Dataset", "file:///d", "examples-1") with { ExternalId = "ds-1" } },
            outputs: new Dictionary<string, Artifact> { ["model"] = Artifact.Of("Model", "file:///m", "model-1") },
            context: Context.Of("Experiment", "exp-1"),
            options: options);

    /// <summary>Seven artifacts, executions and contexts of types A, E, C ("keep" true on odd ones), the artifacts and executions in context "group"; one kept artifact and execution of other types, created last, outside the group.</summary>
    private static async Task<Seed> SeedAsync(IMetadataStore store)
    {
        await store.PutTypesAsync([new ArtifactType("A"), new ArtifactType("Other")], [new ExecutionType("E"), new ExecutionType("OtherE")], [new ContextType("C"), new ContextType("G")]);
        var artifacts = new List<long>();
        var executions = new List<long>();
        var contexts = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            artifacts.Add((await store.PutArtifactsAsync([Artifact.Of("A").WithCustom("keep", i % 2 == 1)]))[0]);
            executions.Add((await store.PutExecutionsAsync([Execution.Of("E").WithCustom("keep", i % 2 == 1)]))[0]);
            contexts.Add((await store.PutContextsAsync([Context.Of("C", $"c{i}").WithCustom("keep", i % 2 == 1)]))[0]);
        }

        var otherArtifact = (await store.PutArtifactsAsync([Artifact.Of("Other").WithCustom("keep", true)]))[0];
        var otherExecution = (await store.PutExecutionsAsync([Execution.Of("OtherE").WithCustom("keep", true)]))[0];
        var group = (await store.PutContextsAsync([Context.Of("G", "group")]))[0];
        await store.PutAttributionsAndAssociationsAsync(
            artifacts.Select(a => new Attribution(group, a)).ToList(),
            executions.Select(e => new Association(group, e)).ToList());
        return new Seed(
            group,
            otherArtifact,
            otherExecution,
            artifacts.Where((_, i) => i % 2 == 1).ToList(),
            executions.Where((_, i) => i % 2 == 1).ToList(),
            contexts.Where((_, i) => i % 2 == 1).ToList());
    }

    private sealed record Seed(long Group, long OtherArtifact, long OtherExecution, IReadOnlyList<long> KeptArtifacts, IReadOnlyList<long> KeptExecutions, IReadOnlyList<long> KeptContexts);
}
