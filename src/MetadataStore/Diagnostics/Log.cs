using Microsoft.Extensions.Logging;

namespace MetadataStore.Diagnostics;

internal static partial class Log
{
    [LoggerMessage(EventId = MetadataStoreEventId.StoreOpened, Level = LogLevel.Information, Message = "Opened metadata store on {Database} in {ElapsedMs} ms")]
    public static partial void StoreOpened(ILogger logger, string database, long elapsedMs);

    [LoggerMessage(EventId = MetadataStoreEventId.SchemaCreated, Level = LogLevel.Information, Message = "Created MLMD schema version {Version} in {DataSource}")]
    public static partial void SchemaCreated(ILogger logger, int version, string dataSource);

    [LoggerMessage(EventId = MetadataStoreEventId.SchemaVerified, Level = LogLevel.Debug, Message = "Verified MLMD schema version {Version} in {DataSource}")]
    public static partial void SchemaVerified(ILogger logger, int version, string dataSource);

    [LoggerMessage(EventId = MetadataStoreEventId.SchemaRefused, Level = LogLevel.Error, Message = "Refused the database {DataSource}: {Reason}")]
    public static partial void SchemaRefused(ILogger logger, string dataSource, string reason);

    [LoggerMessage(EventId = MetadataStoreEventId.SchemaUpgraded, Level = LogLevel.Information, Message = "Upgraded MLMD schema from version {FromVersion} to {ToVersion} in {DataSource}")]
    public static partial void SchemaUpgraded(ILogger logger, int fromVersion, int toVersion, string dataSource);

    [LoggerMessage(EventId = MetadataStoreEventId.TransactionRetrying, Level = LogLevel.Debug, Message = "Transaction met a concurrent writer (attempt {Attempt} of {MaxAttempts}); retrying in {DelayMs} ms")]
    public static partial void TransactionRetrying(ILogger logger, int attempt, int maxAttempts, int delayMs);

    [LoggerMessage(EventId = MetadataStoreEventId.TransactionAborted, Level = LogLevel.Warning, Message = "Transaction gave up after {Attempts} attempts against concurrent writers")]
    public static partial void TransactionAborted(ILogger logger, int attempts);

    [LoggerMessage(EventId = MetadataStoreEventId.RequestFailed, Level = LogLevel.Debug, Message = "{Operation} failed with {ErrorCode}: {Reason}")]
    public static partial void RequestFailed(ILogger logger, string operation, MetadataErrorCode errorCode, string reason);
}
