// QuickStart: records a small training pipeline (dataset -> train -> model -> evaluate -> metrics) in an
// experiment, in the SQLite file quickstart.db, then asks where the metrics came from and draws the answer.
using System.Globalization;
using MetadataStore;

const string DatabasePath = "quickstart.db";

// Start from an empty file so every run prints the same thing.
foreach (var file in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm", DatabasePath + "-journal" })
{
    File.Delete(file);
}

await using IMetadataStore store = await new MetadataStoreBuilder()
    .UseSqliteFile(DatabasePath)
    .OpenAsync();

// 1. Types: what kinds of artifacts, executions and contexts exist, and the typed properties they carry.
var datasetTypeId = await store.PutArtifactTypeAsync(
    ArtifactType.Named("Dataset")
        .WithProperty("rows", PropertyKind.Int)
        .WithProperty("split", PropertyKind.String) with { BaseType = ArtifactBaseType.Dataset });
var modelTypeId = await store.PutArtifactTypeAsync(
    ArtifactType.Named("Model")
        .WithProperty("framework", PropertyKind.String) with { BaseType = ArtifactBaseType.Model });
var metricsTypeId = await store.PutArtifactTypeAsync(
    ArtifactType.Named("Metrics")
        .WithProperty("accuracy", PropertyKind.Double)
        .WithProperty("auc", PropertyKind.Double) with { BaseType = ArtifactBaseType.Metrics });
var trainTypeId = await store.PutExecutionTypeAsync(
    ExecutionType.Named("Trainer")
        .WithProperty("learning_rate", PropertyKind.Double)
        .WithProperty("epochs", PropertyKind.Int) with { BaseType = ExecutionBaseType.Train });
var evaluateTypeId = await store.PutExecutionTypeAsync(
    ExecutionType.Named("Evaluator")
        .WithProperty("slice", PropertyKind.String) with { BaseType = ExecutionBaseType.Evaluate });
var experimentTypeId = await store.PutContextTypeAsync(
    ContextType.Named("Experiment").WithProperty("owner", PropertyKind.String));

var experiment = Context.Of(experimentTypeId, "churn-prediction").With("owner", "data-science");

// 2. Training: reads the dataset, writes the model. PutExecution stores the execution, both artifacts, the
//    events between them and the experiment in one transaction.
var dataset = Artifact.Of(datasetTypeId, "file:///data/churn/train.csv", "churn-train")
    .With("rows", 25_000)
    .With("split", "train") with { State = ArtifactState.Live };
var model = Artifact.Of(modelTypeId, "file:///models/churn/1/model.zip", "churn-model-v1")
    .With("framework", "ML.NET") with { State = ArtifactState.Live };
var train = Execution.Of(trainTypeId, ExecutionState.Complete, "train-1")
    .With("learning_rate", 0.05)
    .With("epochs", 20);

var trained = await store.PutExecutionAsync(
    train,
    [
        new ArtifactAndEvent(dataset, Event.Of(EventType.Input).WithPath("examples", 0)),
        new ArtifactAndEvent(model, Event.Of(EventType.Output).WithPath("model", 0)),
    ],
    [experiment]);
var modelId = trained.ArtifactIds[1];
var experimentId = trained.ContextIds[0];

// 3. Evaluation, with the convenience call: inputs and outputs by role (each role becomes the event's path),
//    the stored model linked by its id, the new metrics inserted, all in the same experiment.
var metrics = Artifact.Of(metricsTypeId, "file:///models/churn/1/metrics.json", "churn-model-v1-metrics")
    .With("accuracy", 0.912)
    .With("auc", 0.957) with { State = ArtifactState.Live };
var evaluate = Execution.Of(evaluateTypeId, ExecutionState.Complete, "evaluate-1")
    .With("slice", "holdout");

var evaluated = await store.RecordExecutionAsync(
    evaluate,
    inputs: new Dictionary<string, Artifact> { ["model"] = model with { Id = modelId } },
    outputs: new Dictionary<string, Artifact> { ["metrics"] = metrics },
    context: experiment with { Id = experimentId });
var metricsId = evaluated.Outputs["metrics"].StoredId;

// 4. What the experiment holds.
var executions = await store.ListExecutionsByContextAsync(experimentId);
var artifacts = await store.ListArtifactsByContextAsync(experimentId);
Console.WriteLine($"Recorded into {DatabasePath}: experiment '{experiment.Name}' with {executions.Items.Count} executions and {artifacts.Items.Count} artifacts.");
Console.WriteLine();

// 5. Where did the metrics come from? One call walks the lineage upstream inside the database and returns the
//    graph: every node with the hop at which it was reached, the events between them, their types and contexts.
var provenance = await store.GetProvenanceAsync(LineageNodeId.Artifact(metricsId));
Console.WriteLine("Where did the metrics come from?");
foreach (var node in provenance.Nodes.OrderBy(n => provenance.Hops[n]))
{
    var hop = provenance.Hops[node];
    var inputs = provenance.Inputs(node).Select(i => Describe(provenance.GetNode(i)!)).ToList();
    var from = inputs.Count == 0 ? "(a root)" : "<- " + string.Join(", ", inputs);
    Console.WriteLine($"  hop {hop}: {Describe(provenance.GetNode(node)!)} {from}");
}

Console.WriteLine();
Console.WriteLine($"Roots: {string.Join(", ", provenance.Roots.Select(r => Describe(provenance.GetNode(r)!)))}");
Console.WriteLine();

// 6. The same graph as a Mermaid flowchart (GitHub renders it); LineageExport also writes Graphviz DOT and JSON.
Console.WriteLine("```mermaid");
Console.Write(MetadataStore.Lineage.LineageExport.ToMermaid(provenance));
Console.WriteLine("```");

static string Describe(MetadataNode node)
{
    var state = node switch
    {
        Artifact a => a.State?.ToString(),
        Execution e => e.LastKnownState?.ToString(),
        _ => null,
    };
    var properties = string.Join(", ", node.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}")));
    return $"{node.TypeName} '{node.Name}' [{state}] {properties}".TrimEnd();
}
