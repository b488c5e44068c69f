using System.Runtime.CompilerServices;
using MetadataStore.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace MetadataStore;

/// <summary>Configures a <see cref="MetadataStoreBuilder"/> to store in SQLite (MLMD's schema v10 in a file or in memory).</summary>
public static class SqliteMetadataStoreBuilderExtensions
{
    // The page cache set on a builder, read when the store opens so the order of the calls does not matter.
    private static readonly ConditionalWeakTable<MetadataStoreBuilder, StrongBox<int>> PageCaches = new();

    // The memory map set on a builder, read when the store opens likewise.
    private static readonly ConditionalWeakTable<MetadataStoreBuilder, StrongBox<long>> MemoryMaps = new();

    /// <summary>The page cache size, in MiB, a store uses unless <see cref="WithPageCacheSize"/> sets another.</summary>
    public static int DefaultPageCacheMebibytes => SqliteSettings.DefaultPageCacheMebibytes;

    /// <summary>The bytes of the database file a store reads through a memory map unless <see cref="WithMemoryMapSize"/> sets another.</summary>
    public static long DefaultMemoryMapBytes => SqliteSettings.DefaultMemoryMapBytes;

    /// <summary>Uses a SQLite database given by a Microsoft.Data.Sqlite connection string, such as <c>Data Source=mlmd.db</c>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The connection string. <c>Data Source=:memory:</c> is a private in-memory database that lives as long as the store.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when the connection string is blank or cannot be parsed.</exception>
    public static MetadataStoreBuilder UseSqlite(this MetadataStoreBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionString);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, "The SQLite connection string must not be blank.");
        }

        SqliteConnectionStringBuilder parsed;
        try
        {
            parsed = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The SQLite connection string cannot be parsed: {ex.Message}", ex);
        }

        var normalized = parsed.ConnectionString;
        return builder.UseBackend(context => new SqliteBackend(normalized, context.Logger)
        {
            CacheSizeKib = (PageCaches.TryGetValue(builder, out var size) ? size.Value : SqliteSettings.DefaultPageCacheMebibytes) * 1024L,
            MemoryMapBytes = MemoryMaps.TryGetValue(builder, out var map) ? map.Value : SqliteSettings.DefaultMemoryMapBytes,
        });
    }

    /// <summary>Uses a SQLite database file, created when missing, in write-ahead-log mode.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The file's path.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when the path is blank or holds a character a connection string cannot (NUL).</exception>
    public static MetadataStoreBuilder UseSqliteFile(this MetadataStoreBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, "The SQLite file path must not be blank.");
        }

        string connectionString;
        try
        {
            connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate }.ConnectionString;
        }
        catch (ArgumentException ex)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The SQLite file path is not valid: {ex.Message}", ex);
        }

        return builder.UseSqlite(connectionString);
    }

    /// <summary>Uses a new, private in-memory SQLite database that lives as long as the store; the usual choice for unit tests.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static MetadataStoreBuilder UseInMemorySqlite(this MetadataStoreBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var name = "metadatastore-" + Guid.NewGuid().ToString("N");
        return builder.UseSqlite(new SqliteConnectionStringBuilder { DataSource = name, Mode = SqliteOpenMode.Memory, Cache = SqliteCacheMode.Shared }.ConnectionString);
    }

    /// <summary>
    /// Sets the size of the database page cache each of the store's SQLite connections keeps in memory (SQLite's
    /// <c>PRAGMA cache_size</c>, whatever the connection string says). The default, <see cref="DefaultPageCacheMebibytes"/>
    /// MiB, keeps the upper levels of every index of a store of millions of nodes in memory, so a read by id costs about
    /// one page read per table however large the store grows. The memory is taken only as pages are read.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="mebibytes">The cache size in MiB, 1 to 65,536.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when <paramref name="mebibytes"/> is outside 1 to 65,536.</exception>
    public static MetadataStoreBuilder WithPageCacheSize(this MetadataStoreBuilder builder, int mebibytes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (mebibytes is < 1 or > 65_536)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The page cache size must be 1 to 65,536 MiB, not {mebibytes}.");
        }

        PageCaches.AddOrUpdate(builder, new StrongBox<int>(mebibytes));
        return builder;
    }

    /// <summary>
    /// Sets how many bytes of the database file each of the store's SQLite connections reads through a memory map
    /// (SQLite's <c>PRAGMA mmap_size</c>, whatever the connection string says); 0 reads every page with a system call
    /// into the page cache instead. The default, <see cref="DefaultMemoryMapBytes"/>, maps up to the largest size
    /// SQLite allows (2 GiB less 64 KiB in the bundled build; a larger value maps that much): a page read then costs
    /// a memory access rather than a read call and a copy, so reads of random ids stay nearly as fast in a store of a
    /// million artifacts as in one of ten thousand. The map takes address space, not memory: its pages are the
    /// operating system's file cache, which a process's resident size counts once touched.
    /// </summary>
    /// <remarks>
    /// SQLite documents the risks of memory-mapped I/O: an I/O error while reading a mapped page (a failing disk, a
    /// network file system losing the file) reaches the process as a signal (SIGBUS) rather than as an error SQLite
    /// can report, and ends the process unless it is handled; so does reading a mapped page after another program
    /// truncated the file. It also needs an operating system with a unified buffer cache when several processes
    /// share the file, and Windows cannot shrink a mapped file (a vacuum leaves the space at the end). Use 0 for a
    /// database on unreliable storage or shared with programs that may truncate it. Where the map cannot be made,
    /// SQLite falls back to read calls.
    /// </remarks>
    /// <param name="builder">The builder.</param>
    /// <param name="bytes">The bytes to map, 0 or more; 0 turns memory-mapped reads off.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when <paramref name="bytes"/> is negative.</exception>
    public static MetadataStoreBuilder WithMemoryMapSize(this MetadataStoreBuilder builder, long bytes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (bytes < 0)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The memory map size must be 0 or more bytes, not {bytes}.");
        }

        MemoryMaps.AddOrUpdate(builder, new StrongBox<long>(bytes));
        return builder;
    }
}
