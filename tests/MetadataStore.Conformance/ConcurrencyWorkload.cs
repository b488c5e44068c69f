using System.Globalization;
using FluentAssertions;

namespace MetadataStore.Conformance;

/// <summary>
/// What each of several concurrent writers (threads or processes, each with its own store on one database) records,
/// and the check that everything they recorded is there. Worker <c>w</c> of <c>n</c>: registers the shared types
/// (every worker at once, so they race), records its executions with <c>PutExecutionAsync</c> into the shared
/// experiment context and its own worker context (both reused by name), links its worker context under the
/// experiment, and links worker context <c>w + 1</c> under its own. Those last links form a ring, so exactly one of
/// them, whichever comes last, must be refused with InvalidArgument: a store that let two racing links through would
/// store a cycle.
/// </summary>
public static class ConcurrencyWorkload
{
    /// <summary>The artifact type of the inputs.</summary>
    public const string DatasetType = "ConcurrencyDataset";

    /// <summary>The artifact type of the outputs.</summary>
    public const string ModelType = "ConcurrencyModel";

    /// <summary>The execution type.</summary>
    public const string TrainType = "ConcurrencyTrain";

    /// <summary>The context type of the experiment and worker contexts.</summary>
    public const string ExperimentType = "ConcurrencyExperiment";

    /// <summary>The name of the context every execution is recorded into.</summary>
    public const string Experiment = "shared-experiment";

    /// <summary>The name of an execution.</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="index">The execution's number within the worker.</param>
    /// <returns>The name.</returns>
    public static string Execution(int worker, int index) => string.Create(CultureInfo.InvariantCulture, $"train-w{worker}-{index}");

    /// <summary>The name of an input artifact.</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="index">The execution's number within the worker.</param>
    /// <param name="input">0 or 1.</param>
    /// <returns>The name.</returns>
    public static string Input(int worker, int index, int input) => string.Create(CultureInfo.InvariantCulture, $"data-w{worker}-{index}-{input}");

    /// <summary>The name of an output artifact.</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="index">The execution's number within the worker.</param>
    /// <returns>The name.</returns>
    public static string Output(int worker, int index) => string.Create(CultureInfo.InvariantCulture, $"model-w{worker}-{index}");

    /// <summary>The name of a worker's own context.</summary>
    /// <param name="worker">The worker.</param>
    /// <returns>The name.</returns>
    public static string WorkerContext(int worker) => string.Create(CultureInfo.InvariantCulture, $"worker-{worker}");

    /// <summary>Records the work of one worker. Every failure reaches the caller, except the ring link refused as a cycle.</summary>
    /// <param name="store">The worker's own store.</param>
    /// <param name="worker">The worker's number, 0 to <paramref name="workers"/> - 1.</param>
    /// <param name="workers">How many workers run.</param>
    /// <param name="executions">How many executions the worker records.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns><see langword="true"/> when the worker's ring link was refused as a cycle.</returns>
    public static async Task<bool> RunAsync(IMetadataStore store, int worker, int workers, int executions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var datasetTypeId = await store.PutArtifactTypeAsync(ArtifactType.Named(DatasetType).WithProperty("worker", PropertyKind.Int), cancellationToken: cancellationToken).ConfigureAwait(false);
        var modelTypeId = await store.PutArtifactTypeAsync(ArtifactType.Named(ModelType).WithProperty("worker", PropertyKind.Int), cancellationToken: cancellationToken).ConfigureAwait(false);
        var trainTypeId = await store.PutExecutionTypeAsync(ExecutionType.Named(TrainType).WithProperty("worker", PropertyKind.Int), cancellationToken: cancellationToken).ConfigureAwait(false);
        var experimentTypeId = await store.PutContextTypeAsync(ContextType.Named(ExperimentType), cancellationToken: cancellationToken).ConfigureAwait(false);

        var options = new PutExecutionOptions { ReuseContextIfAlreadyExists = true };
        long ownContext = 0, nextContext = 0, experiment = 0;
        for (var i = 0; i < executions; i++)
        {
            var execution = MetadataStore.Execution.Of(trainTypeId, ExecutionState.Complete, Execution(worker, i)).With("worker", worker);
            ArtifactAndEvent[] pairs =
            [
                new(Artifact.Of(datasetTypeId, $"file:///data/{worker}/{i}/a", Input(worker, i, 0)).With("worker", worker), Event.Of(EventType.Input).WithPath("examples", 0)),
                new(Artifact.Of(datasetTypeId, $"file:///data/{worker}/{i}/b", Input(worker, i, 1)).With("worker", worker), Event.Of(EventType.Input).WithPath("examples", 1)),
                new(Artifact.Of(modelTypeId, $"file:///models/{worker}/{i}", Output(worker, i)).With("worker", worker), Event.Of(EventType.Output).WithPath("model", 0)),
            ];

            // The first execution also creates (or reuses) the next worker's context, which the ring link needs.
            List<Context> contexts = [Context.Of(experimentTypeId, Experiment), Context.Of(experimentTypeId, WorkerContext(worker))];
            if (i == 0 && workers > 1)
            {
                contexts.Add(Context.Of(experimentTypeId, WorkerContext((worker + 1) % workers)));
            }

            var result = await store.PutExecutionAsync(execution, pairs, contexts, options, cancellationToken).ConfigureAwait(false);
            if (i == 0)
            {
                (experiment, ownContext) = (result.ContextIds[0], result.ContextIds[1]);
                nextContext = workers > 1 ? result.ContextIds[2] : 0;
            }
        }

        await store.PutParentContextsAsync([new ParentContext(ownContext, experiment)], cancellationToken).ConfigureAwait(false);
        if (workers < 2)
        {
            return false;
        }

        try
        {
            await store.PutParentContextsAsync([new ParentContext(nextContext, ownContext)], cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (MetadataStoreException ex) when (ex.ErrorCode == MetadataErrorCode.InvalidArgument)
        {
            return true;
        }
    }

    /// <summary>Asserts that the store holds exactly what the workers recorded, once each, and no parent-context cycle.</summary>
    /// <param name="store">A store on the database the workers wrote.</param>
    /// <param name="workers">How many workers ran.</param>
    /// <param name="executions">How many executions each recorded.</param>
    /// <param name="refusedRingLinks">How many workers reported their ring link refused.</param>
    /// <returns>A task that ends when the checks are done.</returns>
    public static async Task AssertEverythingStoredAsync(IMetadataStore store, int workers, int executions, int refusedRingLinks)
    {
        ArgumentNullException.ThrowIfNull(store);
        var total = workers * executions;
        var expectedExecutions = new List<string>();
        var expectedArtifacts = new List<string>();
        for (var w = 0; w < workers; w++)
        {
            for (var i = 0; i < executions; i++)
            {
                expectedExecutions.Add(Execution(w, i));
                expectedArtifacts.AddRange([Input(w, i, 0), Input(w, i, 1), Output(w, i)]);
            }
        }

        // Types: registered by every worker at once, stored once each.
        (await store.GetArtifactTypesAsync()).Select(t => t.Name).Should().BeEquivalentTo([DatasetType, ModelType]);
        (await store.GetExecutionTypesAsync()).Select(t => t.Name).Should().BeEquivalentTo([TrainType]);
        (await store.GetContextTypesAsync()).Select(t => t.Name).Should().BeEquivalentTo([ExperimentType]);

        var allExecutions = await ReadAllAsync(o => store.ListExecutionsAsync(o));
        allExecutions.Select(e => e.Name).Should().BeEquivalentTo(expectedExecutions);
        allExecutions.Should().OnlyContain(e => e.LastKnownState == ExecutionState.Complete);
        var artifacts = await ReadAllAsync(o => store.ListArtifactsAsync(o));
        artifacts.Select(a => a.Name).Should().BeEquivalentTo(expectedArtifacts);

        // Contexts: each created by whichever call came first and reused by every other, so stored once.
        var contexts = await ReadAllAsync(o => store.ListContextsAsync(o));
        contexts.Select(c => c.Name).Should().BeEquivalentTo([Experiment, .. Enumerable.Range(0, workers).Select(WorkerContext)]);
        contexts.Should().OnlyContain(c => c.TypeName == ExperimentType);
        var byName = contexts.ToDictionary(c => c.Name!, c => c.StoredId);
        var experiment = byName[Experiment];
        (await ReadAllAsync(o => store.ListExecutionsByContextAsync(experiment, o))).Should().HaveCount(total);
        (await ReadAllAsync(o => store.ListArtifactsByContextAsync(experiment, o))).Should().HaveCount(3 * total);
        for (var w = 0; w < workers; w++)
        {
            // A worker context holds its worker's executions and the first execution of the worker before it.
            var members = await ReadAllAsync(o => store.ListExecutionsByContextAsync(byName[WorkerContext(w)], o));
            var expected = Enumerable.Range(0, executions).Select(i => Execution(w, i)).ToList();
            if (workers > 1 && executions > 0)
            {
                expected.Add(Execution((w + workers - 1) % workers, 0));
            }

            members.Select(e => e.Name).Should().BeEquivalentTo(expected, "worker context {0}", w);
        }

        // Events: two inputs and one output per execution, each linking the artifacts written with it.
        var artifactNames = artifacts.ToDictionary(a => a.StoredId, a => a.Name);
        var events = await store.GetEventsByExecutionIdsAsync(allExecutions.Select(e => e.StoredId).ToList());
        events.Should().HaveCount(3 * total);
        var eventsByExecution = events.ToLookup(e => e.ExecutionId!.Value);
        foreach (var execution in allExecutions)
        {
            var parts = execution.Name!.Split('-');
            var (w, i) = (int.Parse(parts[1].AsSpan(1), CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
            eventsByExecution[execution.StoredId].Select(e => (e.Type, artifactNames[e.ArtifactId!.Value])).Should().BeEquivalentTo(
                [(EventType.Input, Input(w, i, 0)), (EventType.Input, Input(w, i, 1)), (EventType.Output, Output(w, i))],
                "execution {0} was recorded with exactly these events", execution.Name);
        }

        // Parent links: every worker context under the experiment, and all ring links but the one that would close it.
        var parents = await store.GetParentContextsByContextsAsync(contexts.Select(c => c.StoredId).ToList());
        var edges = parents.SelectMany(p => p.Value.Select(parent => (Child: p.Key, Parent: parent.StoredId))).ToList();
        edges.Should().OnlyHaveUniqueItems();
        var ringLinks = workers > 1 ? workers : 0;
        edges.Count(e => e.Parent == experiment).Should().Be(workers);
        refusedRingLinks.Should().Be(ringLinks > 0 ? 1 : 0, "exactly the last link of the ring closes a cycle");
        edges.Count(e => e.Parent != experiment).Should().Be(ringLinks - refusedRingLinks);
        HasCycle(edges).Should().BeFalse("parent contexts must never form a cycle");
    }

    private static bool HasCycle(List<(long Child, long Parent)> edges)
    {
        var parentsOf = edges.ToLookup(e => e.Child, e => e.Parent);
        var state = new Dictionary<long, int>();
        bool Visit(long node)
        {
            state.TryGetValue(node, out var s);
            if (s == 1)
            {
                return true;
            }

            if (s == 2)
            {
                return false;
            }

            state[node] = 1;
            var found = parentsOf[node].Any(Visit);
            state[node] = 2;
            return found;
        }

        return edges.Select(e => e.Child).Distinct().ToList().Any(Visit);
    }

    private static async Task<List<T>> ReadAllAsync<T>(Func<NodeListOptions, Task<NodePage<T>>> list)
    {
        var all = new List<T>();
        string? token = null;
        do
        {
            var page = await list(new NodeListOptions { PageSize = NodeListOptions.MaxPageSize, PageToken = token });
            all.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);

        return all;
    }
}
