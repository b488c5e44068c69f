namespace MetadataStore;

/// <summary>One step of an event's path: an integer index or a string key, such as <c>["examples", 0]</c>.</summary>
public readonly record struct EventStep
{
    private EventStep(long? index, string? key)
    {
        Index = index;
        Key = key;
    }

    /// <summary>The index, when this is an index step.</summary>
    public long? Index { get; }

    /// <summary>The key, when this is a key step.</summary>
    public string? Key { get; }

    /// <summary>Whether this is an index step.</summary>
    public bool IsIndex => Index.HasValue;

    /// <summary>Creates an index step.</summary>
    /// <param name="index">The index.</param>
    /// <returns>The step.</returns>
    public static EventStep ForIndex(long index) => new(index, null);

    /// <summary>Creates a key step.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The step.</returns>
    public static EventStep ForKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(null, key);
    }

    /// <summary>A key step.</summary>
    /// <param name="key">The key.</param>
    public static implicit operator EventStep(string key) => ForKey(key);

    /// <summary>An index step.</summary>
    /// <param name="index">The index.</param>
    public static implicit operator EventStep(long index) => ForIndex(index);

    /// <summary>An index step.</summary>
    /// <param name="index">The index.</param>
    public static implicit operator EventStep(int index) => ForIndex(index);

    /// <inheritdoc />
    public override string ToString() => IsIndex ? $"[{Index}]" : Key!;
}
