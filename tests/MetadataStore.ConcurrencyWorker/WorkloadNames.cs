using System.Globalization;

namespace MetadataStore.ConcurrencyWorker;

/// <summary>The names the worker writes; the test that starts the workers checks for exactly these.</summary>
internal static class WorkloadNames
{
    public const string DatasetType = "ConcurrencyDataset";
    public const string ModelType = "ConcurrencyModel";
    public const string TrainType = "ConcurrencyTrain";
    public const string ExperimentType = "ConcurrencyExperiment";
    public const string Experiment = "shared-experiment";

    public static string Execution(int worker, int index) => string.Create(CultureInfo.InvariantCulture, $"train-w{worker}-{index}");

    public static string Input(int worker, int index, int input) => string.Create(CultureInfo.InvariantCulture, $"data-w{worker}-{index}-{input}");

    public static string Output(int worker, int index) => string.Create(CultureInfo.InvariantCulture, $"model-w{worker}-{index}");
}
