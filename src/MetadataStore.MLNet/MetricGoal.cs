namespace MetadataStore.MLNet;

/// <summary>Which way a metric improves.</summary>
public enum MetricGoal
{
    /// <summary>Higher is better (accuracy, AUC, R squared).</summary>
    Maximize,

    /// <summary>Lower is better (errors, log loss).</summary>
    Minimize,
}
