using Microsoft.Extensions.Logging;

namespace MetadataStore.MLNet;

/// <summary>Settings of an <see cref="MLNetTracker"/>.</summary>
public sealed class MLNetTrackerOptions
{
    /// <summary>
    /// The names of the environment variables to record with each training. Nothing else from the environment is
    /// recorded, and a listed variable whose name or value looks like a secret (passwords, keys, tokens, connection
    /// strings, long random strings) is withheld: only its name is recorded, under <c>env_withheld</c>.
    /// </summary>
    public IReadOnlyCollection<string> EnvironmentVariables { get; init; } = [];

    /// <summary>The folder whose git commit and dirty flag are recorded; the current directory when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// The seed the <see cref="MLContext"/> was created with. When null, the tracker reads it from the context, which
    /// works for the ML.NET versions it was built against; give it here to be independent of that.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>How many distinct values of a text column are counted before counting stops; 10,000 by default.</summary>
    public int DistinctCountCap { get; init; } = 10_000;

    /// <summary>
    /// Where failures of the store are logged. A failing store never fails a fit or an evaluation: the failure is
    /// logged here and returned in the result's <c>TrackingError</c>.
    /// </summary>
    public ILogger? Logger { get; init; }
}
