namespace MetadataStore;

/// <summary>The event ids the store logs with, so that hosts can filter on them. Ids are grouped in blocks by area.</summary>
public static class MetadataStoreEventId
{
    /// <summary>A store was opened.</summary>
    public const int StoreOpened = 1000;

    /// <summary>A new database was given MLMD's schema.</summary>
    public const int SchemaCreated = 1001;

    /// <summary>An existing database's schema was verified.</summary>
    public const int SchemaVerified = 1002;

    /// <summary>A database's schema was refused (newer, foreign or partial).</summary>
    public const int SchemaRefused = 1003;

    /// <summary>A database's schema was upgraded.</summary>
    public const int SchemaUpgraded = 1004;

    /// <summary>A transaction met a concurrent writer and will be retried.</summary>
    public const int TransactionRetrying = 2000;

    /// <summary>A transaction gave up after its retries.</summary>
    public const int TransactionAborted = 2001;

    /// <summary>A request failed with a <see cref="MetadataStoreException"/>.</summary>
    public const int RequestFailed = 3000;
}
