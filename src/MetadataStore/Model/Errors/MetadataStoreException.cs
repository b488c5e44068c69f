namespace MetadataStore;

/// <summary>
/// The one exception type the store throws for a failed request. <see cref="ErrorCode"/> says what kind of
/// failure it was; the message names the thing at fault. A request that fails leaves the store unchanged.
/// </summary>
public class MetadataStoreException : Exception
{
    /// <summary>Creates an exception with an error code and a message.</summary>
    /// <param name="errorCode">What kind of failure this is.</param>
    /// <param name="message">What failed, naming the thing at fault.</param>
    public MetadataStoreException(MetadataErrorCode errorCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
        IsTransient = errorCode == MetadataErrorCode.Aborted;
    }

    /// <summary>Creates an exception with an error code, a message and the exception that caused it.</summary>
    /// <param name="errorCode">What kind of failure this is.</param>
    /// <param name="message">What failed, naming the thing at fault.</param>
    /// <param name="innerException">The underlying cause.</param>
    public MetadataStoreException(MetadataErrorCode errorCode, string message, Exception? innerException)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        IsTransient = errorCode == MetadataErrorCode.Aborted;
    }

    /// <summary>What kind of failure this is.</summary>
    public MetadataErrorCode ErrorCode { get; }

    /// <summary>
    /// Whether retrying the same request unchanged may succeed: a conflict with a concurrent writer
    /// (<see cref="MetadataErrorCode.Aborted"/>) or a failed read or write of the file that may pass. A missing folder,
    /// a full disk, a damaged file or a permission problem is not transient: nothing changes until someone acts.
    /// </summary>
    public bool IsTransient { get; internal init; }
}
