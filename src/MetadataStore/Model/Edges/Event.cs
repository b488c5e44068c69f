namespace MetadataStore;

/// <summary>An edge between an artifact and an execution saying how the execution used it. Events are immutable once stored.</summary>
public sealed record Event
{
    /// <summary>The artifact's id. In <c>PutExecution</c> it may be left out and taken from the paired artifact.</summary>
    public long? ArtifactId { get; init; }

    /// <summary>The execution's id. In <c>PutExecution</c> it may be left out and taken from the execution.</summary>
    public long? ExecutionId { get; init; }

    /// <summary>How the execution used the artifact; required and never <see cref="EventType.Unknown"/>.</summary>
    public EventType Type { get; init; }

    /// <summary>Where the artifact sits in the execution's inputs or outputs, such as <c>["examples", 0]</c>.</summary>
    public IReadOnlyList<EventStep> Path { get; init; } = [];

    /// <summary>When the event happened (millisecond precision); the store sets it to now when not given.</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>Creates an event.</summary>
    /// <param name="type">How the execution used the artifact.</param>
    /// <param name="artifactId">The artifact's id, or <see langword="null"/> inside <c>PutExecution</c>.</param>
    /// <param name="executionId">The execution's id, or <see langword="null"/> inside <c>PutExecution</c>.</param>
    /// <returns>The event.</returns>
    public static Event Of(EventType type, long? artifactId = null, long? executionId = null) =>
        new() { Type = type, ArtifactId = artifactId, ExecutionId = executionId };

    /// <summary>Returns a copy whose path is the given keys and indexes, in order.</summary>
    /// <param name="steps">Each step: a <see cref="string"/> key or an integer index.</param>
    /// <returns>The copy.</returns>
    public Event WithPath(params object[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var path = new EventStep[steps.Length];
        for (var i = 0; i < steps.Length; i++)
        {
            path[i] = steps[i] switch
            {
                string key => EventStep.ForKey(key),
                int index => EventStep.ForIndex(index),
                long index => EventStep.ForIndex(index),
                _ => throw new ArgumentException($"Path step {i} is a {steps[i]?.GetType().Name ?? "null"}; a step is a string key or an integer index.", nameof(steps)),
            };
        }

        return this with { Path = path };
    }
}
