namespace MetadataStore;

/// <summary>
/// What went wrong, in MLMD's status vocabulary. The numbers are the gRPC/absl status codes MLMD uses,
/// so an error maps one to one onto the error a Python MLMD client would raise.
/// </summary>
public enum MetadataErrorCode
{
    /// <summary>No error (absl's <c>OK</c>). The default value; never the code of a thrown exception.</summary>
    None = 0,
    /// <summary>An unexpected error not covered by another code.</summary>
    Unknown = 2,
    /// <summary>The request is malformed or names things that do not exist where they must.</summary>
    InvalidArgument = 3,
    /// <summary>A single named thing that was asked for does not exist.</summary>
    NotFound = 5,
    /// <summary>The request would create something that must be unique and already exists.</summary>
    AlreadyExists = 6,
    /// <summary>The store is not in a state that allows the request (schema version, optimistic check).</summary>
    FailedPrecondition = 9,
    /// <summary>The request conflicted with a concurrent writer; retrying it may succeed.</summary>
    Aborted = 10,
    /// <summary>An index or size is outside its valid range.</summary>
    OutOfRange = 11,
    /// <summary>The request asks for something this store does not support.</summary>
    Unimplemented = 12,
    /// <summary>The storage engine failed in a way the request could not have caused.</summary>
    Internal = 13,
    /// <summary>The database could not be reached.</summary>
    Unavailable = 14,
    /// <summary>The stored data is corrupt or inconsistent.</summary>
    DataLoss = 15,
}
