namespace MetadataStore.Storage.Relational;

/// <summary>What went wrong in the database, as a dialect classifies a provider error.</summary>
public enum StorageErrorKind
{
    /// <summary>Anything not classified below; reported as Internal.</summary>
    Internal,

    /// <summary>A unique or primary key already holds the value written; reported as a <see cref="StorageConstraintException"/> (AlreadyExists).</summary>
    UniqueViolation,

    /// <summary>A conflict with a concurrent transaction (busy, locked, serialization failure, deadlock): the unit of work is run again.</summary>
    Conflict,

    /// <summary>The database cannot be reached or the connection was lost; reported as Unavailable.</summary>
    Unavailable,

    /// <summary>The database refused access (a role without the privilege, a read-only file); reported as FailedPrecondition.</summary>
    PermissionDenied,

    /// <summary>The database is damaged; reported as DataLoss.</summary>
    DataLoss,

    /// <summary>A value is larger than the database allows; reported as InvalidArgument.</summary>
    TooLarge,

    /// <summary>The database aborted the statement for a reason other than a conflict (an interrupt, a schema change); reported as Aborted, not run again.</summary>
    Aborted,
}

/// <summary>A provider error classified by a <see cref="SqlDialect"/>.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Message">A message naming the problem and, where possible, what to do about it; it may quote the provider's code.</param>
public sealed record StorageError(StorageErrorKind Kind, string Message)
{
    /// <summary>The error code reported to callers for this kind of error.</summary>
    public MetadataErrorCode ErrorCode => Kind switch
    {
        StorageErrorKind.UniqueViolation => MetadataErrorCode.AlreadyExists,
        StorageErrorKind.Conflict or StorageErrorKind.Aborted => MetadataErrorCode.Aborted,
        StorageErrorKind.Unavailable => MetadataErrorCode.Unavailable,
        StorageErrorKind.PermissionDenied => MetadataErrorCode.FailedPrecondition,
        StorageErrorKind.DataLoss => MetadataErrorCode.DataLoss,
        StorageErrorKind.TooLarge => MetadataErrorCode.InvalidArgument,
        _ => MetadataErrorCode.Internal,
    };

    /// <summary>Whether running the unit of work again may succeed.</summary>
    public bool IsTransient { get; init; }

    /// <summary>The table of the refused key, as the provider names it (any letter case), when it says; otherwise null.</summary>
    public string? Table { get; init; }
}
