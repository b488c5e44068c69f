using Microsoft.Extensions.Logging;

namespace MetadataStore.PostgreSql;

/// <summary>What the PostgreSQL backend logs beyond the store's own messages.</summary>
internal static partial class PostgreSqlLog
{
    [LoggerMessage(EventId = MetadataStoreEventId.SchemaVerified, Level = LogLevel.Warning, Message = "Opened {DataSource}, which is incomplete: {Reason}")]
    public static partial void SchemaIncomplete(ILogger logger, string dataSource, string reason);
}
