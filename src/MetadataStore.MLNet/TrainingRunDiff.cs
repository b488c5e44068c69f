namespace MetadataStore.MLNet;

/// <summary>A property that differs between two training runs.</summary>
/// <param name="Name">The property's name.</param>
/// <param name="First">The value in the first run; null when the first run lacks it.</param>
/// <param name="Second">The value in the second run; null when the second run lacks it.</param>
public sealed record PropertyDifference(string Name, PropertyValue? First, PropertyValue? Second);

/// <summary>What differs between two training runs, by kind; what is equal is left out.</summary>
public sealed class TrainingRunDiff
{
    internal TrainingRunDiff(
        IReadOnlyList<PropertyDifference> hyperparameters,
        IReadOnlyList<PropertyDifference> data,
        IReadOnlyList<PropertyDifference> schema,
        IReadOnlyList<PropertyDifference> metrics,
        IReadOnlyList<PropertyDifference> context)
    {
        Hyperparameters = hyperparameters;
        Data = data;
        Schema = schema;
        Metrics = metrics;
        Context = context;
    }

    /// <summary>The estimators, their options and the seed (<c>stage.i.*</c>, <c>estimator</c>, <c>stage_count</c>, <c>seed</c>).</summary>
    public IReadOnlyList<PropertyDifference> Hyperparameters { get; }

    /// <summary>The training data: URI, content hash, row count, version and column statistics.</summary>
    public IReadOnlyList<PropertyDifference> Data { get; }

    /// <summary>The input schema (<c>schema</c>) and each stage's schema change (<c>stage.i.schema_change</c>).</summary>
    public IReadOnlyList<PropertyDifference> Schema { get; }

    /// <summary>
    /// The metrics of the runs' models on evaluation data both were evaluated on (the latest evaluation of each), named
    /// <c>metric</c> when there is one such data set and <c>hash/metric</c> (first 12 digits of the content hash) otherwise.
    /// </summary>
    public IReadOnlyList<PropertyDifference> Metrics { get; }

    /// <summary>Where the runs happened: versions, OS, machine, git state and environment variables.</summary>
    public IReadOnlyList<PropertyDifference> Context { get; }

    /// <summary>Whether nothing differs.</summary>
    public bool IsEmpty => Hyperparameters.Count + Data.Count + Schema.Count + Metrics.Count + Context.Count == 0;
}
