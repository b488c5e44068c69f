using FluentAssertions;
using MetadataStore.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace MetadataStore.Tests.Storage;

/// <summary>The mds_ indexes the listings read: their columns, and how an existing store gets them.</summary>
public sealed class SqliteExtraIndexTest
{
    // Index → (table, columns, partial-index condition column or null); written out so a changed index is noticed.
    private static readonly Dictionary<string, (string Table, string Columns)> Expected = Build();

    private static Dictionary<string, (string, string)> Build()
    {
        var expected = new Dictionary<string, (string, string)>
        {
            ["mds_attribution_artifact_id"] = ("Attribution", "artifact_id"),
            ["mds_association_execution_id"] = ("Association", "execution_id"),
            ["mds_type_kind_name_version"] = ("Type", "type_kind,name,"),
        };
        foreach (var (table, prefix, state) in new[] { ("Artifact", "artifact", "state"), ("Execution", "execution", "last_known_state"), ("Context", "context", null) })
        {
            expected[$"mds_{prefix}_type"] = (table, "type_id");
            expected[$"mds_{prefix}_type_create_time"] = (table, "type_id,create_time_since_epoch");
            expected[$"mds_{prefix}_type_update_time"] = (table, "type_id,last_update_time_since_epoch");
            if (state is not null)
            {
                expected[$"mds_{prefix}_state"] = (table, state);
                expected[$"mds_{prefix}_state_create_time"] = (table, state + ",create_time_since_epoch");
                expected[$"mds_{prefix}_state_update_time"] = (table, state + ",last_update_time_since_epoch");
            }

            foreach (var value in new[] { "int", "double", "string", "bool" })
            {
                expected[$"mds_{prefix}_property_{value}"] = (table + "Property", $"name,is_custom_property,{value}_value,{prefix}_id");
            }
        }

        return expected;
    }

    [Fact]
    public async Task OpenAsync_creates_every_extra_index_with_its_columns_when_database_empty()
    {
        using var db = new SqliteTestDatabase();
        (await db.OpenBackendAsync()).Dispose();

        var extras = db.Query("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND name LIKE 'mds_%'")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        extras.Keys.Should().BeEquivalentTo(Expected.Keys);
        foreach (var (index, (table, columns)) in Expected)
        {
            extras[index].Should().Be(table);
            var indexed = db.Query($"SELECT name FROM pragma_index_info('{index}') ORDER BY seqno").Select(r => r[0] as string ?? string.Empty);
            string.Join(",", indexed).Should().Be(columns, because: $"index {index}");
        }

        // The property indexes are partial, like MLMD's: a row is in the one index of its value column.
        db.Query("SELECT sql FROM sqlite_master WHERE name = 'mds_artifact_property_bool'").Single()[0].Should().BeOfType<string>()
            .Which.Should().EndWith("WHERE \"bool_value\" IS NOT NULL");
    }

    [Fact]
    public async Task OpenAsync_adds_missing_extra_indexes_when_store_predates_them_and_read_only_open_leaves_it_alone()
    {
        using var db = new SqliteTestDatabase();
        await using (var store = await new MetadataStoreBuilder().UseSqliteFile(db.Path).OpenAsync())
        {
            long type = await store.PutArtifactTypeAsync(ArtifactType.Named("Model").WithProperty("shard", PropertyKind.Int));
            await store.PutArtifactsAsync([Artifact.Of(type, "file:///a").With("shard", 7), Artifact.Of(type, "file:///b").With("shard", 8)]);
        }

        // A store written before these indexes existed.
        foreach (var (name, _) in SqliteSchema.ExtraIndexes.Where(i => i.Name.Contains("_type", StringComparison.Ordinal) || i.Name.Contains("_property_", StringComparison.Ordinal)))
        {
            db.Execute($"DROP INDEX \"{name}\";");
        }

        var before = Indexes(db);
        var readOnly = new SqliteConnectionStringBuilder { DataSource = db.Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString;
        await using (var store = await new MetadataStoreBuilder().UseSqlite(readOnly).OpenAsync())
        {
            (await store.ListArtifactsAsync(new NodeListOptions { Filter = "properties.shard.int_value = 7 AND type = 'Model'" })).Items
                .Should().ContainSingle().Which.Uri.Should().Be("file:///a");
        }

        Indexes(db).Should().Equal(before, "a read-only open writes nothing");

        await using (var store = await new MetadataStoreBuilder().UseSqliteFile(db.Path).OpenAsync())
        {
            (await store.ListArtifactsAsync(new NodeListOptions { Filter = "properties.shard.int_value = 8" })).Items
                .Should().ContainSingle().Which.Uri.Should().Be("file:///b");
        }

        Indexes(db).Should().BeEquivalentTo(Expected.Keys);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65_537)]
    public void WithPageCacheSize_throws_when_size_out_of_range(int mebibytes)
    {
        var act = () => new MetadataStoreBuilder().WithPageCacheSize(mebibytes);
        act.Should().Throw<MetadataStoreException>().Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
    }

    [Theory]
    [InlineData(null, SqliteSettings.DefaultPageCacheMebibytes)]
    [InlineData(3, 3)]
    public async Task OpenAsync_sizes_the_page_cache_whatever_the_connection_string_says(int? mebibytes, int expected)
    {
        using var db = new SqliteTestDatabase();
        var backend = mebibytes is int size
            ? new SqliteBackend(db.ConnectionString + ";Cache=Private", Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance) { CacheSizeKib = size * 1024L }
            : new SqliteBackend(db.ConnectionString, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using (backend)
        {
            await backend.OpenAsync(SchemaMode.CreateOrVerify, CancellationToken.None);
            backend.ScalarText("PRAGMA cache_size;").Should().Be(-expected * 1024L);
        }
    }

    private static List<string> Indexes(SqliteTestDatabase db) =>
        db.Query("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'mds_%' ORDER BY name").Select(r => (string)r[0]!).ToList();
}
