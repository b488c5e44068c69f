namespace MetadataStore.MLNet;

/// <summary>One model on a leaderboard: the model, the evaluation that scored it and its score.</summary>
/// <param name="Rank">The position, from 1.</param>
/// <param name="Model">The model artifact.</param>
/// <param name="Metrics">The metrics artifact the evaluation wrote.</param>
/// <param name="EvaluationExecutionId">The id of the evaluation execution.</param>
/// <param name="Value">The value of the ranking metric.</param>
public sealed record LeaderboardEntry(int Rank, Artifact Model, Artifact Metrics, long EvaluationExecutionId, double Value);
