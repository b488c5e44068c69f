namespace MetadataStore;

/// <summary>The state of an artifact. The numbers are MLMD's <c>Artifact.State</c> values.</summary>
public enum ArtifactState
{
    /// <summary>The state is not known.</summary>
    Unknown = 0,
    /// <summary>The artifact may exist; it is being produced.</summary>
    Pending = 1,
    /// <summary>The artifact should exist.</summary>
    Live = 2,
    /// <summary>The artifact is to be deleted.</summary>
    MarkedForDeletion = 3,
    /// <summary>The artifact has been deleted.</summary>
    Deleted = 4,
    /// <summary>The artifact was never produced because its execution failed or was cancelled.</summary>
    Abandoned = 5,
    /// <summary>An intermediate reference artifact recorded when an execution starts.</summary>
    Reference = 6,
}
