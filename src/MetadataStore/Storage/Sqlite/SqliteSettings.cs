namespace MetadataStore.Storage.Sqlite;

/// <summary>Connection settings of the SQLite backend that the builder exposes.</summary>
internal static class SqliteSettings
{
    /// <summary>
    /// The default page cache, in MiB. Chosen by measurement: 100 random reads by id on a 1M-artifact store; below it
    /// the interior pages of the node, property and index trees no longer stay cached between reads.
    /// </summary>
    public const int DefaultPageCacheMebibytes = 64;
}
