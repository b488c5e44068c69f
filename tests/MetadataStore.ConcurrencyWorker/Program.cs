// Usage: MetadataStore.ConcurrencyWorker sqlite-file <path> <start signal file> <worker> <workers> <executions>
//
// The worker process of the conformance suite's multi-process test, for the backends this repository ships: the
// leading arguments name the backend and say how to open its database.
using MetadataStore;
using MetadataStore.Conformance;

return await WorkerProgram.RunAsync(args, database => database switch
{
    ["sqlite-file", var path] => new MetadataStoreBuilder().UseSqliteFile(path).OpenAsync(),
    _ => throw new ArgumentException($"Unknown database arguments: {string.Join(' ', database)}", nameof(args)),
});
