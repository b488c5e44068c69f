using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace MetadataStore.Benchmarks;

/// <summary>Bulk insert through PutArtifactsAsync against the raw baseline; each iteration writes into fresh stores.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class BulkBenchmarks
{
    private const int Count = 10_000;
    private BenchFiles _files = null!;
    private IMetadataStore _store = null!;
    private RawStore _raw = null!;
    private List<Artifact[]> _batches = [];

    [GlobalSetup]
    public void GlobalSetup() => _files = BenchFiles.CreateAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void GlobalCleanup() => _files.Dispose();

    [IterationSetup]
    public void IterationSetup()
    {
        _store = BenchFiles.OpenLibraryAsync(_files.Fresh("bdn-bulk-library")).GetAwaiter().GetResult();
        var typeId = _store.PutArtifactTypeAsync(Workload.DatasetArtifactType()).GetAwaiter().GetResult();
        _batches = [];
        for (var start = 0; start < Count; start += Workload.BulkBatch)
        {
            _batches.Add(Enumerable.Range(start, Workload.BulkBatch).Select(n => Workload.Dataset(typeId, n)).ToArray());
        }

        _raw = RawStore.Open(_files.Fresh("bdn-bulk-raw"));
        _raw.EnsureTypes();
    }

    [IterationCleanup]
    public void IterationCleanup()
    {
        _store.Dispose();
        _raw.Dispose();
    }

    [Benchmark(Description = "library: 10k artifacts, 5 properties, batches of 1000")]
    public async Task Library()
    {
        foreach (var batch in _batches)
        {
            await _store.PutArtifactsAsync(batch);
        }
    }

    [Benchmark(Baseline = true, Description = "raw ADO.NET: the same rows")]
    public void Baseline() => _raw.BulkInsert(0, Count, Workload.BulkBatch);
}

/// <summary>One PutExecutionAsync (1 execution, 2 inputs, 1 output, 1 context, 10 properties) against the raw baseline.</summary>
[MemoryDiagnoser]
public class PublishBenchmarks
{
    private const int Pool = 100;
    private BenchFiles _files = null!;
    private IMetadataStore _store = null!;
    private RawStore _raw = null!;
    private IReadOnlyList<long> _pool = [];
    private long _modelType;
    private long _trainerType;
    private long _pipelineType;
    private long _rawFirst;
    private long _n;
    private long _rawN;

    [GlobalSetup]
    public async Task GlobalSetup()
    {
        _files = await BenchFiles.CreateAsync();
        _store = await BenchFiles.OpenLibraryAsync(_files.Fresh("bdn-publish-library"));
        var datasetType = await _store.PutArtifactTypeAsync(Workload.DatasetArtifactType());
        _modelType = await _store.PutArtifactTypeAsync(Workload.ModelArtifactType());
        _trainerType = await _store.PutExecutionTypeAsync(Workload.TrainerExecutionType());
        _pipelineType = await _store.PutContextTypeAsync(Workload.PipelineContextType());
        _pool = await _store.PutArtifactsAsync(Enumerable.Range(0, Pool).Select(n => Workload.Dataset(datasetType, n)).ToArray());
        _raw = RawStore.Open(_files.Fresh("bdn-publish-raw"));
        _raw.EnsureTypes();
        _raw.BulkInsert(0, Pool, Pool);
        _rawFirst = _raw.ArtifactIdRange().Min;
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _store.Dispose();
        _raw.Dispose();
        _files.Dispose();
    }

    [Benchmark(Description = "library: PutExecutionAsync")]
    public Task<PutExecutionResult> Library()
    {
        var n = _n++;
        return _store.PutExecutionAsync(
            Workload.Trainer(_trainerType, n),
            [
                new ArtifactAndEvent(null, Event.Of(EventType.Input, artifactId: _pool[(int)(2 * n % Pool)]).WithPath(Workload.InputRole)),
                new ArtifactAndEvent(null, Event.Of(EventType.Input, artifactId: _pool[(int)((2 * n + 1) % Pool)]).WithPath(Workload.InputRole)),
                new ArtifactAndEvent(Workload.Model(_modelType, n), Event.Of(EventType.Output).WithPath(Workload.OutputRole)),
            ],
            [Context.Of(_pipelineType, Workload.PipelineRun)],
            new PutExecutionOptions { ReuseContextIfAlreadyExists = true });
    }

    [Benchmark(Baseline = true, Description = "raw ADO.NET: the same publish")]
    public long Baseline()
    {
        var n = _rawN++;
        return _raw.Publish(n, _rawFirst + (2 * n % Pool), _rawFirst + ((2 * n + 1) % Pool));
    }
}

/// <summary>Reading 10k artifacts with their properties by id from a 100k-artifact store, against the raw baseline.</summary>
[MemoryDiagnoser]
public class ReadBenchmarks
{
    private const int Stored = 100_000;
    private const int Read = 10_000;
    private BenchFiles _files = null!;
    private IMetadataStore _store = null!;
    private RawStore _raw = null!;
    private long[] _ids = [];
    private string _path = string.Empty;

    [GlobalSetup]
    public async Task GlobalSetup()
    {
        _files = await BenchFiles.CreateAsync();
        _path = _files.Fresh("bdn-read");
        _raw = RawStore.Open(_path);
        _raw.EnsureTypes();
        _raw.BulkInsert(0, Stored, Workload.BulkBatch);
        var random = new Random(42);
        _ids = Enumerable.Range(1, Stored).OrderBy(_ => random.Next()).Take(Read).Select(i => (long)i).ToArray();
        _store = await BenchFiles.OpenLibraryAsync(_path);
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _store.Dispose();
        _raw.Dispose();
        _files.Dispose();
    }

    [Benchmark(Description = "library: GetArtifactsByIdAsync, 10k ids")]
    public Task<IReadOnlyList<Artifact>> Library() => _store.GetArtifactsByIdAsync(_ids);

    [Benchmark(Baseline = true, Description = "raw ADO.NET: the same rows")]
    public int Baseline() => _raw.ReadByIds(_ids).Count;

    [Benchmark(Description = "library: open the 100k store")]
    public async Task Open()
    {
        var store = await BenchFiles.OpenLibraryAsync(_path);
        await store.DisposeAsync();
    }

    [Benchmark(Description = "raw ADO.NET: connect and check the schema")]
    public void OpenBaseline() => RawStore.OpenAndCheck(_path);
}
