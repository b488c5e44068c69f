using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>The calls above the MLMD level: RecordExecutionAsync, the Enumerate helpers, and one store shared by many threads.</summary>
public abstract class ConvenienceConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    /// <summary>RecordExecutionAsync creates missing types and links everything.</summary>
    [Fact]
    public async Task RecordExecutionAsync_creates_missing_types_and_links_everything()
    {
        await using var store = await factory.OpenEmptyAsync();

        var recorded = await store.RecordExecutionAsync(
            Execution.Of("Trainer", ExecutionState.Complete).With("epochs", 10),
            inputs: new Dictionary<string, Artifact> { ["examples"] = Artifact.Of("Dataset", "file:///d").With("rows", 100) },
            outputs: new Dictionary<string, Artifact> { ["model"] = Artifact.Of("Model", "file:///m").With("auc", 0.9) },
            context: Context.Of("Experiment", "exp-1"));

        (await store.GetExecutionTypeAsync("Trainer")).Properties.Should().Contain("epochs", PropertyKind.Int);
        (await store.GetArtifactTypeAsync("Dataset")).Properties.Should().Contain("rows", PropertyKind.Int);
        (await store.GetArtifactTypeAsync("Model")).Properties.Should().Contain("auc", PropertyKind.Double);
        recorded.Execution.Properties["epochs"].Should().Be(PropertyValue.FromInt(10));
        recorded.Inputs["examples"].Uri.Should().Be("file:///d");
        recorded.Outputs["model"].Properties["auc"].DoubleValue.Should().Be(0.9);
        recorded.Context!.Name.Should().Be("exp-1");

        var events = await store.GetEventsByExecutionIdsAsync([recorded.Execution.StoredId]);
        events.Should().HaveCount(2);
        events.Should().ContainSingle(e => e.Type == EventType.Input && e.ArtifactId == recorded.Inputs["examples"].Id && e.Path.Single().Key == "examples");
        events.Should().ContainSingle(e => e.Type == EventType.Output && e.ArtifactId == recorded.Outputs["model"].Id && e.Path.Single().Key == "model");
        (await store.ListArtifactsByContextAsync(recorded.Context.StoredId)).Items.Should().HaveCount(2);
        (await store.ListExecutionsByContextAsync(recorded.Context.StoredId)).Items.Should().ContainSingle();
    }

    /// <summary>RecordExecutionAsync reuses the context and links stored inputs unchanged.</summary>
    [Fact]
    public async Task RecordExecutionAsync_reuses_the_context_and_links_stored_inputs_unchanged()
    {
        await using var store = await factory.OpenEmptyAsync();
        var first = await store.RecordExecutionAsync(
            Execution.Of("Trainer"),
            outputs: new Dictionary<string, Artifact> { ["model"] = Artifact.Of("Model", "file:///m") },
            context: Context.Of("Experiment", "exp"));
        var model = first.Outputs["model"];

        var second = await store.RecordExecutionAsync(
            Execution.Of("Evaluator"),
            inputs: new Dictionary<string, Artifact> { ["model"] = model with { Uri = "ignored" } },
            outputs: new Dictionary<string, Artifact> { ["metrics"] = Artifact.Of("Metrics") },
            context: Context.Of("Experiment", "exp"));

        second.Context!.Id.Should().Be(first.Context!.Id);
        second.Inputs["model"].Id.Should().Be(model.Id);
        (await store.GetArtifactAsync(model.StoredId)).Uri.Should().Be("file:///m");
        (await store.ListContextsAsync()).Items.Should().ContainSingle();
    }

    /// <summary>RecordExecutionAsync fails with AlreadyExists when a property kind conflicts with its type.</summary>
    [Fact]
    public async Task RecordExecutionAsync_fails_with_AlreadyExists_when_a_property_kind_conflicts_with_its_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        await store.PutArtifactTypeAsync(ArtifactType.Named("Dataset").WithProperty("rows", PropertyKind.String));
        var before = await store.SnapshotAsync();

        var act = () => store.RecordExecutionAsync(
            Execution.Of("Loader"),
            outputs: new Dictionary<string, Artifact> { ["data"] = Artifact.Of("Dataset").With("rows", 5) });

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        (await store.ListArtifactsAsync()).Items.Should().BeEmpty();
        (await store.GetArtifactTypeAsync("Dataset")).Properties.Should().Equal(before.ArtifactTypes.Single(t => t.Name == "Dataset").Properties);
    }

    /// <summary>EnumerateArtifactsAsync streams every artifact once across pages.</summary>
    [Theory]
    [InlineData(NodeOrder.Id, false)]
    [InlineData(NodeOrder.CreateTime, true)]
    public async Task EnumerateArtifactsAsync_streams_every_artifact_once_across_pages(NodeOrder orderBy, bool descending)
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var ids = await store.PutArtifactsAsync(Enumerable.Range(0, 23).Select(i => Artifact.Of(type.StoredId, $"file:///{i}")).ToList());

        var seen = new List<long>();
        await foreach (var artifact in store.EnumerateArtifactsAsync(new NodeListOptions { PageSize = 5, OrderBy = orderBy, Descending = descending }))
        {
            seen.Add(artifact.StoredId);
        }

        seen.Should().BeEquivalentTo(ids).And.OnlyHaveUniqueItems();
    }

    /// <summary>EnumerateExecutionsAsync and EnumerateContextsAsync stream everything.</summary>
    [Fact]
    public async Task EnumerateExecutionsAsync_and_EnumerateContextsAsync_stream_everything()
    {
        await using var store = await factory.OpenEmptyAsync();
        var executionType = await store.AddExecutionTypeAsync();
        var contextType = await store.AddContextTypeAsync();
        await store.PutExecutionsAsync(Enumerable.Range(0, 7).Select(_ => Execution.Of(executionType.StoredId)).ToList());
        await store.PutContextsAsync(Enumerable.Range(0, 7).Select(i => Context.Of(contextType.StoredId, $"c{i}")).ToList());

        var executions = new List<Execution>();
        await foreach (var e in store.EnumerateExecutionsAsync(new NodeListOptions { PageSize = 2 }))
        {
            executions.Add(e);
        }

        var contexts = new List<Context>();
        await foreach (var c in store.EnumerateContextsAsync(new NodeListOptions { PageSize = 3 }))
        {
            contexts.Add(c);
        }

        executions.Should().HaveCount(7);
        contexts.Select(c => c.Name).Should().BeEquivalentTo(Enumerable.Range(0, 7).Select(i => $"c{i}"));
    }

    /// <summary>Store loses nothing when many tasks write and read at once.</summary>
    [Fact]
    public async Task Store_loses_nothing_when_many_tasks_write_and_read_at_once()
    {
        await using var store = await factory.OpenEmptyAsync();
        var artifactType = await store.AddArtifactTypeAsync();
        var executionType = await store.AddExecutionTypeAsync();
        var contextType = await store.AddContextTypeAsync();
        const int tasks = 8;
        const int callsPerTask = 15;

        await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < callsPerTask; i++)
            {
                await store.PutExecutionAsync(
                    Execution.Of(executionType.StoredId, name: $"e-{t}-{i}"),
                    [new ArtifactAndEvent(Artifact.Of(artifactType.StoredId, $"file:///{t}/{i}"), Event.Of(EventType.Output))],
                    [Context.Of(contextType.StoredId, "shared")],
                    new PutExecutionOptions { ReuseContextIfAlreadyExists = true });
                (await store.ListArtifactsAsync(new NodeListOptions { PageSize = 10, Descending = true })).Items.Should().NotBeEmpty();
            }
        })));

        (await store.AllExecutionsAsync()).Should().HaveCount(tasks * callsPerTask);
        (await store.AllArtifactsAsync()).Should().HaveCount(tasks * callsPerTask);
        var context = (await store.AllContextsAsync()).Should().ContainSingle().Subject;
        (await store.ListExecutionsByContextAsync(context.StoredId, new NodeListOptions { PageSize = 1000 })).Items.Should().HaveCount(tasks * callsPerTask);
    }

    /// <summary>GetArtifactByIdAsync and friends read one node or null.</summary>
    [Fact]
    public async Task GetArtifactByIdAsync_and_friends_read_one_node_or_null()
    {
        await using var store = await factory.OpenEmptyAsync();
        var recorded = await store.RecordExecutionAsync(
            Execution.Of("Trainer"),
            outputs: new Dictionary<string, Artifact> { ["model"] = Artifact.Of("Model", "file:///m") },
            context: Context.Of("Experiment", "exp"));

        (await store.GetArtifactByIdAsync(recorded.Outputs["model"].StoredId))!.Uri.Should().Be("file:///m");
        (await store.GetExecutionByIdAsync(recorded.Execution.StoredId))!.TypeName.Should().Be("Trainer");
        (await store.GetContextByIdAsync(recorded.Context!.StoredId))!.Name.Should().Be("exp");
        (await store.GetArtifactByIdAsync(999_999)).Should().BeNull();
        (await store.GetExecutionByIdAsync(999_999)).Should().BeNull();
        (await store.GetContextByIdAsync(999_999)).Should().BeNull();
    }

    /// <summary>Calls throw ObjectDisposedException when the store is disposed.</summary>
    [Fact]
    public async Task Calls_throw_ObjectDisposedException_when_the_store_is_disposed()
    {
        var store = await factory.OpenEmptyAsync();
        await store.DisposeAsync();

        var act = () => store.GetArtifactTypesAsync();

        await act.Should().ThrowAsync<ObjectDisposedException>();
    }
}
