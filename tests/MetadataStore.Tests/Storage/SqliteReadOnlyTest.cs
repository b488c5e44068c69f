using FluentAssertions;
using Microsoft.Data.Sqlite;
using Xunit;

namespace MetadataStore.Tests.Storage;

/// <summary>Opening a complete database only reads it, so read-only files and connections work.</summary>
public sealed class SqliteReadOnlyTest
{
    [Theory]
    [InlineData(SchemaMode.CreateOrVerify)]
    [InlineData(SchemaMode.VerifyOnly)]
    public async Task OpenAsync_reads_when_connection_read_only(SchemaMode mode)
    {
        using var db = new SqliteTestDatabase();
        await using (var writer = await new MetadataStoreBuilder().UseSqliteFile(db.Path).OpenAsync())
        {
            await writer.PutArtifactsAsync([Artifact.Of(await writer.PutArtifactTypeAsync(ArtifactType.Named("Model")), "file:///m")]);
        }

        var readOnly = new SqliteConnectionStringBuilder { DataSource = db.Path, Mode = SqliteOpenMode.ReadOnly }.ConnectionString;
        await using var store = await new MetadataStoreBuilder().UseSqlite(readOnly).WithSchemaMode(mode).OpenAsync();

        (await store.ListArtifactsAsync()).Items.Should().ContainSingle().Which.Uri.Should().Be("file:///m");
    }

    [Fact]
    public async Task PutArtifactTypeAsync_throws_FailedPrecondition_when_connection_read_only()
    {
        using var db = new SqliteTestDatabase();
        await using (await new MetadataStoreBuilder().UseSqliteFile(db.Path).OpenAsync())
        {
        }

        var readOnly = new SqliteConnectionStringBuilder { DataSource = db.Path, Mode = SqliteOpenMode.ReadOnly }.ConnectionString;
        await using var store = await new MetadataStoreBuilder().UseSqlite(readOnly).OpenAsync();

        var act = () => store.PutArtifactTypeAsync(ArtifactType.Named("Model"));

        (await act.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);
        (await store.GetArtifactTypesAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task OpenAsync_succeeds_while_another_connection_holds_the_write_lock_when_database_complete()
    {
        using var db = new SqliteTestDatabase();
        await using (await new MetadataStoreBuilder().UseSqliteFile(db.Path).OpenAsync())
        {
        }

        using var holder = db.OpenRaw();
        using var writeLock = holder.BeginTransaction(deferred: false);
        var impatient = new SqliteConnectionStringBuilder { DataSource = db.Path, DefaultTimeout = 1 }.ConnectionString;

        await using var store = await new MetadataStoreBuilder().UseSqlite(impatient).OpenAsync();

        (await store.GetArtifactTypesAsync()).Should().BeEmpty();
    }
}
