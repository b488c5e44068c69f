namespace MetadataStore;

/// <summary>How an execution used an artifact. The numbers are MLMD's <c>Event.Type</c> values.</summary>
public enum EventType
{
    /// <summary>Not set; never valid when recording an event.</summary>
    Unknown = 0,
    /// <summary>An output declared in the execution's signature.</summary>
    DeclaredOutput = 1,
    /// <summary>An input declared in the execution's signature.</summary>
    DeclaredInput = 2,
    /// <summary>An artifact the execution actually read.</summary>
    Input = 3,
    /// <summary>An artifact the execution actually wrote.</summary>
    Output = 4,
    /// <summary>An input used only by the orchestrator.</summary>
    InternalInput = 5,
    /// <summary>An output used only by the orchestrator.</summary>
    InternalOutput = 6,
    /// <summary>An output tentatively associated with a running execution.</summary>
    PendingOutput = 7,
}
