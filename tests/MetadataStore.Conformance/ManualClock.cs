namespace MetadataStore.Conformance;

/// <summary>A clock that stands still until a test moves it, so tests separate timestamps without sleeping.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now;

    /// <summary>Creates a clock at a given instant.</summary>
    /// <param name="start">The first time it reads.</param>
    public ManualClock(DateTimeOffset start)
    {
        _now = start;
    }

    /// <summary>Creates a clock at a fixed instant in 2024.</summary>
    public ManualClock()
        : this(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock forward.</summary>
    /// <param name="by">How far; 5 ms when not given.</param>
    public void Advance(TimeSpan? by = null) => _now += by ?? TimeSpan.FromMilliseconds(5);
}
