namespace MetadataStore;

/// <summary>
/// A lineage graph (MLMD's <c>LineageGraph</c>): the artifacts and executions a lineage query reached, the events
/// between them, the contexts of those nodes with their attributions and associations, and the types. It can be
/// walked in code: <see cref="Inputs"/> and <see cref="Outputs"/> of a node follow the data (an artifact is an input of
/// the executions that read it, an execution an input of the artifacts it wrote), <see cref="Roots"/> have no inputs
/// in the graph and <see cref="Leaves"/> no outputs. Export it with <c>MetadataStore.Lineage.LineageExport</c>.
/// </summary>
public sealed class LineageGraph
{
    private Dictionary<LineageNodeId, List<LineageNodeId>>? _inputs;
    private Dictionary<LineageNodeId, List<LineageNodeId>>? _outputs;
    private Dictionary<long, Artifact>? _artifactsById;
    private Dictionary<long, Execution>? _executionsById;

    internal LineageGraph(
        IReadOnlyDictionary<LineageNodeId, int> hops,
        IReadOnlyList<Artifact> artifacts,
        IReadOnlyList<Execution> executions,
        IReadOnlyList<Context> contexts,
        IReadOnlyList<Event> events,
        IReadOnlyList<Attribution> attributions,
        IReadOnlyList<Association> associations,
        IReadOnlyList<ArtifactType> artifactTypes,
        IReadOnlyList<ExecutionType> executionTypes,
        IReadOnlyList<ContextType> contextTypes)
    {
        Hops = hops;
        Artifacts = artifacts;
        Executions = executions;
        Contexts = contexts;
        Events = events;
        Attributions = attributions;
        Associations = associations;
        ArtifactTypes = artifactTypes;
        ExecutionTypes = executionTypes;
        ContextTypes = contextTypes;
        var nodes = new List<LineageNodeId>(hops.Keys);
        nodes.Sort(static (a, b) => a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : a.Id.CompareTo(b.Id));
        Nodes = nodes;
    }

    /// <summary>An empty graph.</summary>
    public static LineageGraph Empty { get; } = new(new Dictionary<LineageNodeId, int>(), [], [], [], [], [], [], [], [], []);

    /// <summary>Every artifact and execution of the graph (artifacts first, each kind by id), whatever the read mask returned.</summary>
    public IReadOnlyList<LineageNodeId> Nodes { get; }

    /// <summary>For every node of the graph, the hop at which the traversal first reached it (0 for a starting node).</summary>
    public IReadOnlyDictionary<LineageNodeId, int> Hops { get; }

    /// <summary>The artifacts, by id; with ids only, each carries just its id.</summary>
    public IReadOnlyList<Artifact> Artifacts { get; }

    /// <summary>The executions, by id; with ids only, each carries just its id.</summary>
    public IReadOnlyList<Execution> Executions { get; }

    /// <summary>The contexts the artifacts are attributed to and the executions associated with, by id.</summary>
    public IReadOnlyList<Context> Contexts { get; }

    /// <summary>The events the traversal crossed, by the order they were stored.</summary>
    public IReadOnlyList<Event> Events { get; }

    /// <summary>The attributions of the graph's artifacts.</summary>
    public IReadOnlyList<Attribution> Attributions { get; }

    /// <summary>The associations of the graph's executions.</summary>
    public IReadOnlyList<Association> Associations { get; }

    /// <summary>The types of the graph's artifacts, by id.</summary>
    public IReadOnlyList<ArtifactType> ArtifactTypes { get; }

    /// <summary>The types of the graph's executions, by id.</summary>
    public IReadOnlyList<ExecutionType> ExecutionTypes { get; }

    /// <summary>The types of the graph's contexts, by id.</summary>
    public IReadOnlyList<ContextType> ContextTypes { get; }

    /// <summary>Whether the graph has no node.</summary>
    public bool IsEmpty => Hops.Count == 0;

    /// <summary>The nodes with no input in the graph, in the order of <see cref="Nodes"/>.</summary>
    public IReadOnlyList<LineageNodeId> Roots => Nodes.Where(n => Inputs(n).Count == 0).ToList();

    /// <summary>The nodes with no output in the graph, in the order of <see cref="Nodes"/>.</summary>
    public IReadOnlyList<LineageNodeId> Leaves => Nodes.Where(n => Outputs(n).Count == 0).ToList();

    /// <summary>Whether the node is in the graph.</summary>
    /// <param name="node">The node.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public bool Contains(LineageNodeId node) => Hops.ContainsKey(node);

    /// <summary>The hop at which the traversal first reached a node.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The hop, or <see langword="null"/> when the node is not in the graph.</returns>
    public int? HopOf(LineageNodeId node) => Hops.TryGetValue(node, out var hop) ? hop : null;

    /// <summary>
    /// The nodes whose data flows into <paramref name="node"/> by one event of the graph: for an execution the
    /// artifacts it read, for an artifact the executions that wrote it. Ordered by kind and id.
    /// </summary>
    /// <param name="node">The node.</param>
    /// <returns>The inputs; empty for a node with none or not in the graph.</returns>
    public IReadOnlyList<LineageNodeId> Inputs(LineageNodeId node)
    {
        EnsureAdjacency();
        return _inputs!.TryGetValue(node, out var list) ? list : [];
    }

    /// <summary>
    /// The nodes <paramref name="node"/>'s data flows into by one event of the graph: for an artifact the executions
    /// that read it, for an execution the artifacts it wrote. Ordered by kind and id.
    /// </summary>
    /// <param name="node">The node.</param>
    /// <returns>The outputs; empty for a node with none or not in the graph.</returns>
    public IReadOnlyList<LineageNodeId> Outputs(LineageNodeId node)
    {
        EnsureAdjacency();
        return _outputs!.TryGetValue(node, out var list) ? list : [];
    }

    /// <summary>The hydrated artifact with an id, when the graph holds it.</summary>
    /// <param name="id">The artifact's id.</param>
    /// <returns>The artifact, or <see langword="null"/>.</returns>
    public Artifact? GetArtifact(long id)
    {
        _artifactsById ??= Artifacts.Where(a => a.Id is not null).ToDictionary(a => a.Id!.Value);
        return _artifactsById.GetValueOrDefault(id);
    }

    /// <summary>The hydrated execution with an id, when the graph holds it.</summary>
    /// <param name="id">The execution's id.</param>
    /// <returns>The execution, or <see langword="null"/>.</returns>
    public Execution? GetExecution(long id)
    {
        _executionsById ??= Executions.Where(e => e.Id is not null).ToDictionary(e => e.Id!.Value);
        return _executionsById.GetValueOrDefault(id);
    }

    /// <summary>The node with an id as stored in the graph: an <see cref="Artifact"/> or an <see cref="Execution"/>.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The node, or <see langword="null"/> when the graph does not hold it.</returns>
    public MetadataNode? GetNode(LineageNodeId node) => node.IsArtifact ? GetArtifact(node.Id) : GetExecution(node.Id);

    /// <summary>Whether an event type carries data from the execution to the artifact (an output).</summary>
    internal static bool IsOutput(EventType type) =>
        type is EventType.Output or EventType.DeclaredOutput or EventType.InternalOutput or EventType.PendingOutput;

    /// <summary>Whether an event type carries data from the artifact to the execution (an input).</summary>
    internal static bool IsInput(EventType type) => type is EventType.Input or EventType.DeclaredInput or EventType.InternalInput;

    private void EnsureAdjacency()
    {
        if (_inputs is not null)
        {
            return;
        }

        var inputs = new Dictionary<LineageNodeId, List<LineageNodeId>>();
        var outputs = new Dictionary<LineageNodeId, List<LineageNodeId>>();
        var seen = new HashSet<(LineageNodeId, LineageNodeId)>();
        foreach (var e in Events)
        {
            if (e.ArtifactId is not long a || e.ExecutionId is not long x)
            {
                continue;
            }

            var artifact = LineageNodeId.Artifact(a);
            var execution = LineageNodeId.Execution(x);
            if (!Hops.ContainsKey(artifact) || !Hops.ContainsKey(execution))
            {
                continue;
            }

            if (IsInput(e.Type))
            {
                Link(artifact, execution);
            }
            else if (IsOutput(e.Type))
            {
                Link(execution, artifact);
            }
        }

        foreach (var list in inputs.Values.Concat(outputs.Values))
        {
            list.Sort(static (a, b) => a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : a.Id.CompareTo(b.Id));
        }

        _outputs = outputs;
        _inputs = inputs;

        void Link(LineageNodeId from, LineageNodeId to)
        {
            // Two events of different types may join the same pair.
            if (!seen.Add((from, to)))
            {
                return;
            }

            if (!outputs.TryGetValue(from, out var o))
            {
                outputs[from] = o = [];
            }

            o.Add(to);

            if (!inputs.TryGetValue(to, out var i))
            {
                inputs[to] = i = [];
            }

            i.Add(from);
        }
    }
}
