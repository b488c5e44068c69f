namespace MetadataStore.Storage.Sqlite;

/// <summary>Connection settings of the SQLite backend that the builder exposes.</summary>
internal static class SqliteSettings
{
    /// <summary>
    /// The default page cache, in MiB. Measured on a 1M-artifact store: the interior pages of all its tables and
    /// indexes take 4.5 MB (1,154 pages), more than SQLite's default 2 MB, so with the default a read by id also
    /// re-reads interior pages; 64 MiB keeps them resident with room for stores over ten times larger.
    /// </summary>
    public const int DefaultPageCacheMebibytes = 64;

    /// <summary>The default memory map, in bytes (placeholder until measured).</summary>
    public const long DefaultMemoryMapBytes = 1L << 31;
}
