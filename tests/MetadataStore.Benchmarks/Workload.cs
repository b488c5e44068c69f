namespace MetadataStore.Benchmarks;

/// <summary>The shapes both sides write and read: the same types, names, URIs and property values.</summary>
internal static class Workload
{
    public const string DatasetType = "BenchDataset";
    public const string TrainerType = "BenchTrainer";
    public const string ModelType = "BenchModel";
    public const string PipelineType = "BenchPipeline";
    public const string PipelineRun = "pipeline-run-1";

    /// <summary>Artifacts per PutArtifactsAsync call (and per baseline transaction) in the bulk scenario.</summary>
    public const int BulkBatch = 1_000;

    /// <summary>Distinct values of the indexed <c>shard</c> property; a filter on one value matches 1 row in this many.</summary>
    public const int Shards = 1_000;

    public static readonly (string Name, PropertyKind Kind)[] DatasetProperties =
    [
        ("shard", PropertyKind.Int), ("rows", PropertyKind.Int), ("quality", PropertyKind.Double),
        ("split", PropertyKind.String), ("format", PropertyKind.String),
    ];

    public static readonly (string Name, PropertyKind Kind)[] TrainerProperties =
    [
        ("epochs", PropertyKind.Int), ("seed", PropertyKind.Int), ("learning_rate", PropertyKind.Double),
        ("loss", PropertyKind.Double), ("optimizer", PropertyKind.String),
    ];

    public static readonly (string Name, PropertyKind Kind)[] ModelProperties =
    [
        ("epoch", PropertyKind.Int), ("size_bytes", PropertyKind.Int), ("accuracy", PropertyKind.Double),
        ("framework", PropertyKind.String), ("format", PropertyKind.String),
    ];

    /// <summary>
    /// The library side of the publish scenario: execution <paramref name="n"/> reads two artifacts of
    /// <paramref name="pool"/> and writes one model, in the shared pipeline context.
    /// </summary>
    public static Task<PutExecutionResult> PublishAsync(IMetadataStore store, long trainerType, long modelType, long pipelineType, IReadOnlyList<long> pool, long n, PutExecutionOptions options) =>
        store.PutExecutionAsync(
            Trainer(trainerType, n),
            [
                new ArtifactAndEvent(null, Event.Of(EventType.Input, artifactId: pool[(int)(2 * n % pool.Count)]).WithPath(InputRole)),
                new ArtifactAndEvent(null, Event.Of(EventType.Input, artifactId: pool[(int)((2 * n + 1) % pool.Count)]).WithPath(InputRole)),
                new ArtifactAndEvent(Model(modelType, n), Event.Of(EventType.Output).WithPath(OutputRole)),
            ],
            [Context.Of(pipelineType, PipelineRun)],
            options);

    public static ArtifactType DatasetArtifactType() => WithProperties(ArtifactType.Named(DatasetType), DatasetProperties, static (t, n, k) => t.WithProperty(n, k));

    public static ArtifactType ModelArtifactType() => WithProperties(ArtifactType.Named(ModelType), ModelProperties, static (t, n, k) => t.WithProperty(n, k));

    public static ExecutionType TrainerExecutionType() => WithProperties(ExecutionType.Named(TrainerType), TrainerProperties, static (t, n, k) => t.WithProperty(n, k));

    public static ContextType PipelineContextType() => ContextType.Named(PipelineType);

    // ---- values; the baseline binds exactly these ----

    public static string DatasetUri(long n) => "file:///data/bench/part-" + n.ToString("D8", System.Globalization.CultureInfo.InvariantCulture) + ".parquet";

    public static string DatasetName(long n) => "dataset-" + n.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    public static long Shard(long n) => n % Shards;

    public static long Rows(long n) => 1_000 + (n * 7 % 100_000);

    public static double Quality(long n) => (n % 9_973) / 9_973.0;

    public static string Split(long n) => (n % 10) switch { < 8 => "train", 8 => "eval", _ => "test" };

    public const string Format = "parquet";

    public static string ModelUri(long n) => "file:///models/bench/model-" + n.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    public static long Epoch(long n) => n % 100;

    public static long SizeBytes(long n) => 10_000_000 + n;

    public static double Accuracy(long n) => 0.5 + (n % 5_000) / 10_000.0;

    public const string Framework = "ML.NET";

    public const string ModelFormat = "zip";

    public static long Epochs(long n) => 10 + (n % 40);

    public static double LearningRate(long n) => 0.001 * (1 + (n % 10));

    public static double Loss(long n) => 1.0 / (1 + n % 1_000);

    public const string Optimizer = "adam";

    public const string InputRole = "examples";
    public const string OutputRole = "model";

    /// <summary>The n-th dataset artifact as the library receives it.</summary>
    public static Artifact Dataset(long typeId, long n) => new()
    {
        TypeId = typeId,
        Uri = DatasetUri(n),
        Name = DatasetName(n),
        State = ArtifactState.Live,
        Properties = new Dictionary<string, PropertyValue>(5, StringComparer.Ordinal)
        {
            ["shard"] = Shard(n),
            ["rows"] = Rows(n),
            ["quality"] = Quality(n),
            ["split"] = Split(n),
            ["format"] = Format,
        },
    };

    /// <summary>The n-th trained model (a publish's output) as the library receives it.</summary>
    public static Artifact Model(long typeId, long n) => new()
    {
        TypeId = typeId,
        Uri = ModelUri(n),
        State = ArtifactState.Live,
        Properties = new Dictionary<string, PropertyValue>(5, StringComparer.Ordinal)
        {
            ["epoch"] = Epoch(n),
            ["size_bytes"] = SizeBytes(n),
            ["accuracy"] = Accuracy(n),
            ["framework"] = Framework,
            ["format"] = ModelFormat,
        },
    };

    /// <summary>The n-th training run as the library receives it.</summary>
    public static Execution Trainer(long typeId, long n) => new()
    {
        TypeId = typeId,
        LastKnownState = ExecutionState.Complete,
        Properties = new Dictionary<string, PropertyValue>(5, StringComparer.Ordinal)
        {
            ["epochs"] = Epochs(n),
            ["seed"] = n,
            ["learning_rate"] = LearningRate(n),
            ["loss"] = Loss(n),
            ["optimizer"] = Optimizer,
        },
    };

    private static T WithProperties<T>(T type, (string Name, PropertyKind Kind)[] properties, Func<T, string, PropertyKind, T> add)
    {
        foreach (var (name, kind) in properties)
        {
            type = add(type, name, kind);
        }

        return type;
    }
}
