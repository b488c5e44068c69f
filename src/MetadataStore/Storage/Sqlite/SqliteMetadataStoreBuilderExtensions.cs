using System.Runtime.CompilerServices;
using MetadataStore.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace MetadataStore;

/// <summary>Configures a <see cref="MetadataStoreBuilder"/> to store in SQLite (MLMD's schema v10 in a file or in memory).</summary>
public static class SqliteMetadataStoreBuilderExtensions
{
    // The page cache set on a builder, read when the store opens so the order of the calls does not matter.
    private static readonly ConditionalWeakTable<MetadataStoreBuilder, StrongBox<int>> PageCaches = new();

    /// <summary>The page cache size, in MiB, a store uses unless <see cref="WithPageCacheSize"/> sets another.</summary>
    public static int DefaultPageCacheMebibytes => SqliteSettings.DefaultPageCacheMebibytes;

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
}
