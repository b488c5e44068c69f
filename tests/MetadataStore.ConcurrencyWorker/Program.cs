// Usage: MetadataStore.ConcurrencyWorker <database file> <start signal file> <worker id> <executions>
//
// Waits until the start signal file exists, so that all workers open the (new) database at the same moment,
// then records <executions> PutExecution calls: each one execution, two new input artifacts, one new output
// artifact, and the shared experiment context reused by name. Exits 0 when every call succeeded; otherwise
// prints the exception to standard error and exits 1.
using System.Globalization;
using MetadataStore;
using MetadataStore.ConcurrencyWorker;

if (args.Length != 4
    || !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out var workerId)
    || !int.TryParse(args[3], NumberStyles.None, CultureInfo.InvariantCulture, out var executions))
{
    await Console.Error.WriteLineAsync("usage: MetadataStore.ConcurrencyWorker <database file> <start signal file> <worker id> <executions>");
    return 2;
}

var databasePath = args[0];
var startSignal = args[1];

// Tell the test this process is up, then wait for the start signal: a bounded poll, so a worker never
// outlives a failed test.
Console.WriteLine("ready");
var deadline = DateTime.UtcNow.AddMinutes(2);
while (!File.Exists(startSignal))
{
    if (DateTime.UtcNow > deadline)
    {
        await Console.Error.WriteLineAsync($"worker {workerId}: no start signal at {startSignal}");
        return 3;
    }

    await Task.Delay(5);
}

try
{
    await using var store = await new MetadataStoreBuilder().UseSqliteFile(databasePath).OpenAsync();

    // Every worker registers the same types, racing each other; each must get the same ids.
    var datasetTypeId = await store.PutArtifactTypeAsync(ArtifactType.Named(WorkloadNames.DatasetType).WithProperty("worker", PropertyKind.Int));
    var modelTypeId = await store.PutArtifactTypeAsync(ArtifactType.Named(WorkloadNames.ModelType).WithProperty("worker", PropertyKind.Int));
    var trainTypeId = await store.PutExecutionTypeAsync(ExecutionType.Named(WorkloadNames.TrainType).WithProperty("worker", PropertyKind.Int));
    var experimentTypeId = await store.PutContextTypeAsync(ContextType.Named(WorkloadNames.ExperimentType));

    var options = new PutExecutionOptions { ReuseContextIfAlreadyExists = true };
    for (var i = 0; i < executions; i++)
    {
        var execution = Execution.Of(trainTypeId, ExecutionState.Complete, WorkloadNames.Execution(workerId, i)).With("worker", workerId);
        ArtifactAndEvent[] pairs =
        [
            new(Artifact.Of(datasetTypeId, $"file:///data/{workerId}/{i}/a", WorkloadNames.Input(workerId, i, 0)).With("worker", workerId),
                Event.Of(EventType.Input).WithPath("examples", 0)),
            new(Artifact.Of(datasetTypeId, $"file:///data/{workerId}/{i}/b", WorkloadNames.Input(workerId, i, 1)).With("worker", workerId),
                Event.Of(EventType.Input).WithPath("examples", 1)),
            new(Artifact.Of(modelTypeId, $"file:///models/{workerId}/{i}", WorkloadNames.Output(workerId, i)).With("worker", workerId),
                Event.Of(EventType.Output).WithPath("model", 0)),
        ];

        await store.PutExecutionAsync(execution, pairs, [Context.Of(experimentTypeId, WorkloadNames.Experiment)], options);
    }

    return 0;
}
catch (Exception ex)
{
    await Console.Error.WriteLineAsync($"worker {workerId}: {ex}");
    return 1;
}
