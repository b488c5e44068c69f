using FluentAssertions;
using MetadataStore.Semantics;
using MetadataStore.Storage.Sqlite;
using Xunit;

namespace MetadataStore.Tests.Storage;

/// <summary>The memory map size reaches the writer and every pooled reader of a store.</summary>
public sealed class SqliteMemoryMapTest
{
    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void WithMemoryMapSize_throws_when_size_negative(long bytes)
    {
        var act = () => new MetadataStoreBuilder().WithMemoryMapSize(bytes);
        act.Should().Throw<MetadataStoreException>().Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L << 20)]
    public async Task OpenAsync_sets_the_memory_map_of_writer_and_readers(long bytes)
    {
        using var db = new SqliteTestDatabase();
        await using var store = await new MetadataStoreBuilder().UseSqliteFile(db.Path).WithMemoryMapSize(bytes).OpenAsync();
        var backend = (SqliteBackend)((MetadataStoreEngine)store).Backend;

        backend.HasReaderPool.Should().BeTrue();
        backend.ScalarText("PRAGMA mmap_size;").Should().Be(bytes);
        (await backend.ReaderScalarAsync("PRAGMA mmap_size;", CancellationToken.None)).Should().Be(bytes);
    }

    [Fact]
    public async Task OpenAsync_maps_the_default_size_when_not_set()
    {
        using var db = new SqliteTestDatabase();
        await using var store = await new MetadataStoreBuilder().UseSqliteFile(db.Path).OpenAsync();
        var backend = (SqliteBackend)((MetadataStoreEngine)store).Backend;

        // SQLite caps the size at its compile-time maximum, which may be below the default.
        foreach (var size in new[] { backend.ScalarText("PRAGMA mmap_size;"), await backend.ReaderScalarAsync("PRAGMA mmap_size;", CancellationToken.None) })
        {
            size.Should().BeOfType<long>().Which.Should().BeInRange(1L << 30, SqliteMetadataStoreBuilderExtensions.DefaultMemoryMapBytes);
        }
    }
}
