namespace MetadataStore.MLNet;

/// <summary>Which way each ML.NET metric improves, by the name <see cref="MLNetTracker"/> records it under.</summary>
public static class MetricGoals
{
    private static readonly Dictionary<string, MetricGoal> Known = new(StringComparer.Ordinal)
    {
        // Regression
        ["RSquared"] = MetricGoal.Maximize,
        ["MeanAbsoluteError"] = MetricGoal.Minimize,
        ["MeanSquaredError"] = MetricGoal.Minimize,
        ["RootMeanSquaredError"] = MetricGoal.Minimize,
        ["LossFunction"] = MetricGoal.Minimize,

        // Binary classification
        ["Accuracy"] = MetricGoal.Maximize,
        ["AreaUnderRocCurve"] = MetricGoal.Maximize,
        ["AreaUnderPrecisionRecallCurve"] = MetricGoal.Maximize,
        ["F1Score"] = MetricGoal.Maximize,
        ["PositivePrecision"] = MetricGoal.Maximize,
        ["PositiveRecall"] = MetricGoal.Maximize,
        ["NegativePrecision"] = MetricGoal.Maximize,
        ["NegativeRecall"] = MetricGoal.Maximize,
        ["LogLoss"] = MetricGoal.Minimize,
        ["LogLossReduction"] = MetricGoal.Maximize,

        // Multiclass classification
        ["MicroAccuracy"] = MetricGoal.Maximize,
        ["MacroAccuracy"] = MetricGoal.Maximize,
        ["TopKAccuracy"] = MetricGoal.Maximize,

        // Clustering
        ["NormalizedMutualInformation"] = MetricGoal.Maximize,
        ["AverageDistance"] = MetricGoal.Minimize,
        ["DaviesBouldinIndex"] = MetricGoal.Minimize,

        // Anomaly detection
        ["DetectionRateAtFalsePositiveCount"] = MetricGoal.Maximize,
    };

    /// <summary>
    /// The goal of <paramref name="metric"/>: known ML.NET metric names and the elements of their series
    /// (<c>NormalizedDiscountedCumulativeGains@3</c>, <c>TopKAccuracyForAllK@2</c>, <c>PerClassLogLoss[0]</c>).
    /// Properties of the data rather than the model, such as <c>Entropy</c>, have none.
    /// </summary>
    /// <param name="metric">The metric's recorded name.</param>
    /// <param name="goal">The goal, when known.</param>
    /// <returns>Whether the goal is known.</returns>
    public static bool TryGet(string metric, out MetricGoal goal)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var series = metric.IndexOfAny(['@', '[']);
        var name = series < 0 ? metric : metric[..series];
        if (Known.TryGetValue(name, out goal))
        {
            return true;
        }

        switch (name)
        {
            case "NormalizedDiscountedCumulativeGains" or "DiscountedCumulativeGains" or "TopKAccuracyForAllK":
                goal = MetricGoal.Maximize;
                return true;
            case "PerClassLogLoss":
                goal = MetricGoal.Minimize;
                return true;
            default:
                goal = default;
                return false;
        }
    }
}
