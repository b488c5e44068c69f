using System.Text;

namespace MetadataStore;

/// <summary>An edge between an artifact and an execution saying how the execution used it. Events are immutable once stored, and compare by content, path included.</summary>
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

    /// <summary>Returns a copy whose path is the given steps, in order: <c>e.WithPath("examples", 0)</c>.</summary>
    /// <param name="steps">Each step: a key (a <see cref="string"/> converts implicitly) or an index (an integer converts implicitly).</param>
    /// <returns>The copy.</returns>
    public Event WithPath(params EventStep[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return this with { Path = [.. steps] };
    }

    /// <inheritdoc />
    public bool Equals(Event? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && ArtifactId == other.ArtifactId
            && ExecutionId == other.ExecutionId
            && Type == other.Type
            && Time == other.Time
            && ContentEquality.ListEquals(Path, other.Path));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ArtifactId, ExecutionId, Type, Time, ContentEquality.ListHash(Path));

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ArtifactId = ").Append(ArtifactId)
            .Append(", ExecutionId = ").Append(ExecutionId)
            .Append(", Type = ").Append(Type)
            .Append(", Path = ");
        ContentEquality.PrintList(builder, Path);
        builder.Append(", Time = ").Append(Time);
        return true;
    }
}
