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

    /// <summary>
    /// The default memory map, in bytes: 2 GiB, which SQLite caps at its largest map (2 GiB less 64 KiB in the
    /// bundled build), so a file up to that size is mapped whole. Measured with 100 random reads by id: without a map
    /// each page missing from the page cache is a read call and a copy, and the reads took about 3 times as long at
    /// 1M artifacts (842 MB) as at 10k; mapping the whole file brought that to 1.8-2.0, while a 256 MiB map was slower
    /// than none.
    /// </summary>
    public const long DefaultMemoryMapBytes = 1L << 31;
}
