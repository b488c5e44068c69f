// QuickStart: records a small training pipeline (dataset -> train -> model -> evaluate -> metrics) in an
// experiment, in the SQLite file quickstart.db, then walks the lineage of the metrics back to the dataset.
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

// 5. Lineage: from the metrics, follow each artifact to the execution that wrote it and each execution to
//    the artifacts it read, until nothing is upstream.
Console.WriteLine("Lineage of the metrics, upstream:");
await PrintArtifactAsync(store, metricsId, role: null, depth: 0);

static async Task PrintArtifactAsync(IMetadataStore store, long artifactId, string? role, int depth)
{
    var artifact = (await store.GetArtifactsByIdAsync([artifactId])).Single();
    var readAs = role is null ? string.Empty : $"<- read as {role}: ";
    Console.WriteLine($"{Indent(depth)}{readAs}{artifact.TypeName} '{artifact.Name}' {artifact.Uri} {Describe(artifact.Properties)}");

    var events = await store.GetEventsByArtifactIdsAsync([artifactId]);
    var producers = events
        .Where(e => e.Type is EventType.Output or EventType.DeclaredOutput)
        .Select(e => e.ExecutionId!.Value)
        .Distinct()
        .ToList();
    foreach (var execution in await store.GetExecutionsByIdAsync(producers))
    {
        await PrintExecutionAsync(store, execution, depth + 1);
    }
}

static async Task PrintExecutionAsync(IMetadataStore store, Execution execution, int depth)
{
    Console.WriteLine($"{Indent(depth)}<- written by {execution.TypeName} '{execution.Name}' [{execution.LastKnownState}] {Describe(execution.Properties)}");

    var events = await store.GetEventsByExecutionIdsAsync([execution.StoredId]);
    foreach (var input in events.Where(e => e.Type is EventType.Input or EventType.DeclaredInput))
    {
        await PrintArtifactAsync(store, input.ArtifactId!.Value, FormatPath(input.Path), depth + 1);
    }
}

static string FormatPath(IReadOnlyList<EventStep> path) => string.Concat(path.Select(s => s.ToString())).TrimStart('.');

static string Indent(int depth) => new(' ', depth * 2);

static string Describe(IReadOnlyDictionary<string, PropertyValue> properties) =>
    string.Join(", ", properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}")));
