namespace MetadataStore.Conformance;

/// <summary>
/// A generated lineage graph of a few thousand nodes, stored through the public API and kept in memory for checking:
/// a long chain, diamonds, artifacts shared by many executions, random layers, executions that read and write the same
/// artifact, back edges that close longer cycles, every event type, nodes in several contexts, and names with quotes,
/// brackets and non-ASCII characters. Some nodes carry the custom property <c>stop = true</c>.
/// </summary>
public sealed class GeneratedLineage
{
    private GeneratedLineage()
    {
    }

    /// <summary>Artifact ids, in creation order.</summary>
    public IReadOnlyList<long> Artifacts { get; private set; } = [];

    /// <summary>Execution ids, in creation order.</summary>
    public IReadOnlyList<long> Executions { get; private set; } = [];

    /// <summary>Every event stored.</summary>
    public IReadOnlyList<(long Artifact, long Execution, EventType Type)> Events { get; private set; } = [];

    /// <summary>Every attribution stored.</summary>
    public IReadOnlyList<Attribution> Attributions { get; private set; } = [];

    /// <summary>Every association stored.</summary>
    public IReadOnlyList<Association> Associations { get; private set; } = [];

    /// <summary>Nodes with <c>stop = true</c>.</summary>
    public IReadOnlySet<LineageNodeId> Stops { get; private set; } = new HashSet<LineageNodeId>();

    /// <summary>Interesting places to start: the chain's head and tail, a diamond's top, a shared input, a cycle, a random execution.</summary>
    public IReadOnlyList<LineageNodeId> Starts { get; private set; } = [];

    /// <summary>The unique prefix of every source artifact's name.</summary>
    public string SourcePrefix { get; private set; } = string.Empty;

    /// <summary>Generates and stores a graph.</summary>
    /// <param name="store">The store.</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="layers">How many random executions to add (the graph has about three nodes per execution).</param>
    public static async Task<GeneratedLineage> CreateAsync(IMetadataStore store, int seed = 7, int layers = 700)
    {
        var random = new Random(seed);
        var artifactType = await store.AddArtifactTypeAsync(("rows", PropertyKind.Int));
        var executionType = await store.AddExecutionTypeAsync(("rate", PropertyKind.Double));
        var contextType = await store.AddContextTypeAsync();
        var tag = Some.Name("g");
        var sourcePrefix = "src-" + tag;

        // Plan with indexes first, then store in bulk.
        var artifacts = new List<Artifact>();
        var executions = new List<Execution>();
        var events = new List<(int A, int E, EventType T)>();
        int NewArtifact(string name, bool stop = false)
        {
            var artifact = Artifact.Of(artifactType.Id!.Value, $"gen://{tag}/{artifacts.Count}", name)
                .With("rows", random.Next(1_000)) with { State = (ArtifactState)random.Next(0, 7) };
            artifacts.Add(stop ? artifact.WithCustom("stop", true) : artifact);
            return artifacts.Count - 1;
        }

        int NewExecution(string name, bool stop = false)
        {
            var execution = Execution.Of(executionType.Id!.Value, (ExecutionState)random.Next(0, 7), name).With("rate", random.NextDouble());
            executions.Add(stop ? execution.WithCustom("stop", true) : execution);
            return executions.Count - 1;
        }

        EventType Input() => random.Next(10) switch { 0 => EventType.DeclaredInput, 1 => EventType.InternalInput, _ => EventType.Input };
        EventType Output() => random.Next(12) switch { 0 => EventType.DeclaredOutput, 1 => EventType.InternalOutput, 2 => EventType.PendingOutput, _ => EventType.Output };

        var sources = Enumerable.Range(0, 30).Select(i => NewArtifact($"{sourcePrefix}-{i} \"raw\" [v{i}] données ✓")).ToList();

        // A long chain, longer than a subgraph query's hop limit.
        var chainHead = sources[0];
        var previous = chainHead;
        for (var i = 0; i < 120; i++)
        {
            var e = NewExecution($"chain-{tag}-{i} <step> & 'q'");
            var next = NewArtifact($"chain-{tag}-{i} {{out}} #{i}");
            events.Add((previous, e, Input()));
            events.Add((next, e, Output()));
            previous = next;
        }

        var chainTail = previous;

        // Diamonds: top -> (e1, e2) -> bottom -> e3 -> result.
        var diamondTop = -1;
        for (var i = 0; i < 40; i++)
        {
            var top = sources[1 + (i % 10)];
            diamondTop = diamondTop < 0 ? top : diamondTop;
            var left = NewExecution($"left-{tag}-{i}");
            var right = NewExecution($"right-{tag}-{i}", stop: i % 7 == 0);
            var bottom = NewArtifact($"bottom-{tag}-{i}");
            var join = NewExecution($"join-{tag}-{i}");
            var result = NewArtifact($"result-{tag}-{i}", stop: i % 9 == 0);
            events.Add((top, left, Input()));
            events.Add((top, right, Input()));
            events.Add((bottom, left, Output()));
            events.Add((bottom, right, Output()));
            events.Add((bottom, join, Input()));
            events.Add((result, join, Output()));
        }

        // Random layers, some inputs shared by many executions.
        var shared = sources[11];
        var pool = new List<int>(sources);
        pool.AddRange(Enumerable.Range(0, artifacts.Count).Where(a => !sources.Contains(a)));
        for (var i = 0; i < layers; i++)
        {
            var e = NewExecution($"step-{tag}-{i}", stop: random.Next(25) == 0);
            var inputs = new HashSet<int>();
            if (random.Next(8) == 0)
            {
                inputs.Add(shared);
            }

            for (var k = random.Next(1, 4); k > 0; k--)
            {
                // Mostly recent artifacts, so the graph is deep as well as wide.
                var index = pool.Count - 1 - (int)(Math.Abs(random.NextDouble() * random.NextDouble()) * Math.Min(pool.Count, 200));
                inputs.Add(pool[Math.Clamp(index, 0, pool.Count - 1)]);
            }

            foreach (var a in inputs)
            {
                events.Add((a, e, Input()));
            }

            for (var k = random.Next(1, 3); k > 0; k--)
            {
                var output = NewArtifact($"out-{tag}-{i}-{k}", stop: random.Next(25) == 0);
                events.Add((output, e, Output()));
                pool.Add(output);
            }

            // An execution that reads and writes the same artifact: a cycle of two hops.
            if (random.Next(20) == 0)
            {
                var a = inputs.First();
                events.Add((a, e, Output()));
            }

            // A back edge: writing an earlier artifact closes a longer cycle.
            if (random.Next(40) == 0)
            {
                var earlier = pool[random.Next(pool.Count / 2)];
                if (!inputs.Contains(earlier))
                {
                    events.Add((earlier, e, Output()));
                }
            }
        }

        var cycle = events.GroupBy(x => (x.A, x.E)).First(g => g.Count() > 1).Key;

        var artifactIds = await store.PutArtifactsAsync(artifacts);
        var executionIds = await store.PutExecutionsAsync(executions);
        var stored = events.Distinct().Select(x => (artifactIds[x.A], executionIds[x.E], x.T)).ToList();

        // One event per (artifact, execution, type).
        stored = stored.GroupBy(x => (x.Item1, x.Item2, x.T)).Select(g => g.First()).ToList();
        await store.PutEventsAsync(stored.Select(x => Event.Of(x.T, x.Item1, x.Item2)).ToList());

        var contextIds = await store.PutContextsAsync(Enumerable.Range(0, 12).Select(i => Context.Of(contextType.Id!.Value, $"ctx-{tag}-{i}")).ToList());
        var attributions = new List<Attribution>();
        var associations = new List<Association>();
        foreach (var a in artifactIds)
        {
            foreach (var c in contextIds.OrderBy(_ => random.Next()).Take(random.Next(0, 4)))
            {
                attributions.Add(new Attribution(c, a));
            }
        }

        foreach (var e in executionIds)
        {
            foreach (var c in contextIds.OrderBy(_ => random.Next()).Take(random.Next(0, 4)))
            {
                associations.Add(new Association(c, e));
            }
        }

        await store.PutAttributionsAndAssociationsAsync(attributions, associations);

        var stops = new HashSet<LineageNodeId>();
        for (var i = 0; i < artifacts.Count; i++)
        {
            if (artifacts[i].CustomProperties.ContainsKey("stop"))
            {
                stops.Add(LineageNodeId.Artifact(artifactIds[i]));
            }
        }

        for (var i = 0; i < executions.Count; i++)
        {
            if (executions[i].CustomProperties.ContainsKey("stop"))
            {
                stops.Add(LineageNodeId.Execution(executionIds[i]));
            }
        }

        return new GeneratedLineage
        {
            Artifacts = artifactIds,
            Executions = executionIds,
            Events = stored,
            Attributions = attributions,
            Associations = associations,
            Stops = stops,
            SourcePrefix = sourcePrefix,
            Starts =
            [
                LineageNodeId.Artifact(artifactIds[chainHead]),
                LineageNodeId.Artifact(artifactIds[chainTail]),
                LineageNodeId.Artifact(artifactIds[diamondTop]),
                LineageNodeId.Artifact(artifactIds[shared]),
                LineageNodeId.Artifact(artifactIds[cycle.A]),
                LineageNodeId.Execution(executionIds[cycle.E]),
                LineageNodeId.Artifact(artifactIds[^1]),
                LineageNodeId.Execution(executionIds[executions.Count / 2]),
            ],
        };
    }
}
