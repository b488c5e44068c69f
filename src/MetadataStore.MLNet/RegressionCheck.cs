namespace MetadataStore.MLNet;

/// <summary>The outcome of a regression check.</summary>
public enum RegressionVerdict
{
    /// <summary>No compared metric got worse than the baseline's beyond the tolerance.</summary>
    Passed,

    /// <summary>At least one compared metric got worse than the baseline's beyond the tolerance.</summary>
    Regressed,

    /// <summary>No other model was evaluated on the same data before the candidate: nothing to compare with.</summary>
    NoBaseline,
}

/// <summary>How one metric of the candidate compares with the baseline's.</summary>
public enum MetricOutcome
{
    /// <summary>Better than the baseline beyond the tolerance.</summary>
    Improved,

    /// <summary>Within the tolerance of the baseline.</summary>
    Unchanged,

    /// <summary>Worse than the baseline beyond the tolerance.</summary>
    Regressed,

    /// <summary>Not compared: the metric has no known goal, or one side lacks it.</summary>
    NotCompared,
}

/// <summary>One metric of a regression check.</summary>
/// <param name="Metric">The metric's recorded name.</param>
/// <param name="Goal">Which way it improves; null when unknown.</param>
/// <param name="Candidate">The candidate's value; null when the candidate lacks the metric.</param>
/// <param name="Baseline">The baseline's value; null when the baseline lacks the metric.</param>
/// <param name="Outcome">How the candidate compares.</param>
public sealed record MetricComparison(string Metric, MetricGoal? Goal, double? Candidate, double? Baseline, MetricOutcome Outcome)
{
    /// <summary>Candidate minus baseline; null when one side lacks the metric.</summary>
    public double? Delta => Candidate - Baseline;
}

/// <summary>Settings of <see cref="MLNetTracker.CheckRegressionAsync"/>.</summary>
public sealed record RegressionCheckOptions
{
    /// <summary>How much worse than the baseline a metric may be before it counts as a regression (absolute); 0 by default.</summary>
    public double Tolerance { get; init; }

    /// <summary>Goals for metrics <see cref="MetricGoals"/> does not know, or to override it.</summary>
    public IReadOnlyDictionary<string, MetricGoal> Goals { get; init; } = new Dictionary<string, MetricGoal>();

    /// <summary>The metrics to compare; every metric with a goal when null.</summary>
    public IReadOnlyCollection<string>? Metrics { get; init; }
}

/// <summary>
/// The result of a regression check: the candidate model against the best model evaluated earlier on the same data,
/// metric by metric. A CI step fails the build when <see cref="Passed"/> is false.
/// </summary>
public sealed class RegressionCheckResult
{
    internal RegressionCheckResult(RegressionVerdict verdict, string primaryMetric, LeaderboardEntry candidate, LeaderboardEntry? baseline, IReadOnlyList<MetricComparison> metrics)
    {
        Verdict = verdict;
        PrimaryMetric = primaryMetric;
        Candidate = candidate;
        Baseline = baseline;
        Metrics = metrics;
    }

    /// <summary>The verdict.</summary>
    public RegressionVerdict Verdict { get; }

    /// <summary>Whether the candidate may ship: true unless a metric regressed.</summary>
    public bool Passed => Verdict != RegressionVerdict.Regressed;

    /// <summary>The metric that chose the baseline.</summary>
    public string PrimaryMetric { get; }

    /// <summary>The candidate's latest evaluation on the data.</summary>
    public LeaderboardEntry Candidate { get; }

    /// <summary>The best earlier evaluation of another model on the same data by <see cref="PrimaryMetric"/>; null when there is none.</summary>
    public LeaderboardEntry? Baseline { get; }

    /// <summary>Every metric of either side, by name.</summary>
    public IReadOnlyList<MetricComparison> Metrics { get; }

    /// <summary>The metrics that regressed.</summary>
    public IReadOnlyList<MetricComparison> Regressions => Metrics.Where(m => m.Outcome == MetricOutcome.Regressed).ToList();

    /// <inheritdoc/>
    public override string ToString() => Verdict switch
    {
        RegressionVerdict.NoBaseline => $"NoBaseline: model {Candidate.Model.Id} is the first evaluated on this data",
        _ => $"{Verdict}: model {Candidate.Model.Id} vs model {Baseline!.Model.Id} (best earlier by {PrimaryMetric}); "
            + $"{Metrics.Count(m => m.Outcome == MetricOutcome.Improved)} improved, {Metrics.Count(m => m.Outcome == MetricOutcome.Unchanged)} unchanged, {Metrics.Count(m => m.Outcome == MetricOutcome.Regressed)} regressed"
            + (Regressions.Count == 0 ? string.Empty : " (" + string.Join(", ", Regressions.Select(m => m.Metric)) + ")"),
    };
}
