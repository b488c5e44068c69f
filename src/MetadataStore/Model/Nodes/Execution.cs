namespace MetadataStore;

/// <summary>A run of a step: training, evaluation, a data transformation.</summary>
public sealed record Execution : MetadataNode
{
    private protected override string KindName => "execution";

    /// <summary>The execution's last known state; <see langword="null"/> when never set.</summary>
    public ExecutionState? LastKnownState { get; init; }

    /// <summary>Creates an execution of a type given by name (an unversioned type).</summary>
    /// <param name="typeName">The execution type's name.</param>
    /// <param name="state">The execution's state.</param>
    /// <param name="name">The execution's name, unique within its type.</param>
    /// <returns>The new, unstored execution.</returns>
    public static Execution Of(string typeName, ExecutionState? state = null, string? name = null) => new() { TypeName = RequireName(typeName, "type name", nameof(typeName)), LastKnownState = state, Name = name };

    /// <summary>Creates an execution of a type given by id.</summary>
    /// <param name="typeId">The execution type's id.</param>
    /// <param name="state">The execution's state.</param>
    /// <param name="name">The execution's name, unique within its type.</param>
    /// <returns>The new, unstored execution.</returns>
    public static Execution Of(long typeId, ExecutionState? state = null, string? name = null) => new() { TypeId = typeId, LastKnownState = state, Name = name };

    /// <summary>Returns a copy with a typed property set.</summary>
    /// <param name="name">The property's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The copy.</returns>
    public Execution With(string name, PropertyValue value) => this with { Properties = Add(Properties, name, value) };

    /// <summary>Returns a copy with a custom property set.</summary>
    /// <param name="name">The property's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The copy.</returns>
    public Execution WithCustom(string name, PropertyValue value) => this with { CustomProperties = Add(CustomProperties, name, value) };
}
