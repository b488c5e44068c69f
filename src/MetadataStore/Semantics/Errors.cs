namespace MetadataStore.Semantics;

/// <summary>Short constructors for the exceptions the semantics layer throws.</summary>
internal static class Errors
{
    public static MetadataStoreException InvalidArgument(string message) => new(MetadataErrorCode.InvalidArgument, message);

    public static MetadataStoreException NotFound(string message) => new(MetadataErrorCode.NotFound, message);

    public static MetadataStoreException AlreadyExists(string message) => new(MetadataErrorCode.AlreadyExists, message);

    public static MetadataStoreException FailedPrecondition(string message) => new(MetadataErrorCode.FailedPrecondition, message);

    public static MetadataStoreException Unimplemented(string message) => new(MetadataErrorCode.Unimplemented, message);

    public static MetadataStoreException OutOfRange(string message) => new(MetadataErrorCode.OutOfRange, message);

    public static MetadataStoreException Aborted(string message) => new(MetadataErrorCode.Aborted, message);
}
