using System.Runtime.Versioning;
using System.Security.Cryptography;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using Xunit;

namespace MetadataStore.Tests.Storage;

/// <summary>
/// Opening where the file system stands in the way (a missing folder or file, permissions, a full disk) or where the
/// connection may only read: a <see cref="MetadataStoreException"/> with what to do, and nothing written.
/// </summary>
public sealed class SqliteOpenFaultTest
{
    [Fact]
    public async Task OpenAsync_throws_Unavailable_not_transient_and_creates_nothing_when_folder_missing()
    {
        using var db = new SqliteTestDatabase();
        var folder = Path.Combine(Path.GetDirectoryName(db.Path)!, "missing");
        var path = Path.Combine(folder, "store.db");

        var act = () => new MetadataStoreBuilder().UseSqliteFile(path).OpenAsync();

        var error = (await act.Should().ThrowAsync<MetadataStoreException>()).Which;
        error.ErrorCode.Should().Be(MetadataErrorCode.Unavailable);
        error.IsTransient.Should().BeFalse("retrying cannot help until someone creates the folder");
        error.Message.Should().Contain(folder).And.Contain("does not exist");
        Directory.Exists(folder).Should().BeFalse();
    }

    [Fact]
    public async Task OpenAsync_throws_FailedPrecondition_and_creates_no_file_when_verify_only_and_path_missing()
    {
        using var db = new SqliteTestDatabase();

        var act = () => new MetadataStoreBuilder().UseSqliteFile(db.Path).WithSchemaMode(SchemaMode.VerifyOnly).OpenAsync();

        var error = (await act.Should().ThrowAsync<MetadataStoreException>()).Which;
        error.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);
        error.Message.Should().Contain(db.Path).And.Contain("does not exist").And.Contain("VerifyOnly");
        Directory.GetFiles(Path.GetDirectoryName(db.Path)!).Should().BeEmpty("a refused open writes nothing");
    }

    [Theory]
    [InlineData(SchemaMode.CreateOrVerify)]
    [InlineData(SchemaMode.VerifyOnly)]
    public async Task OpenAsync_throws_Unavailable_and_creates_no_file_when_read_only_and_path_missing(SchemaMode mode)
    {
        using var db = new SqliteTestDatabase();
        var readOnly = new SqliteConnectionStringBuilder { DataSource = db.Path, Mode = SqliteOpenMode.ReadOnly }.ConnectionString;

        var act = () => new MetadataStoreBuilder().UseSqlite(readOnly).WithSchemaMode(mode).OpenAsync();

        var error = (await act.Should().ThrowAsync<MetadataStoreException>()).Which;
        error.ErrorCode.Should().BeOneOf(MetadataErrorCode.Unavailable, MetadataErrorCode.FailedPrecondition);
        error.IsTransient.Should().BeFalse();
        error.Message.Should().Contain(db.Path).And.Contain("does not exist");
        Directory.GetFiles(Path.GetDirectoryName(db.Path)!).Should().BeEmpty();
    }

    [Fact]
    public async Task OpenAsync_throws_FailedPrecondition_and_writes_nothing_when_read_only_and_database_empty()
    {
        using var db = new SqliteTestDatabase();
        File.WriteAllBytes(db.Path, []);
        var readOnly = new SqliteConnectionStringBuilder { DataSource = db.Path, Mode = SqliteOpenMode.ReadOnly }.ConnectionString;

        var act = () => new MetadataStoreBuilder().UseSqlite(readOnly).OpenAsync();

        var error = (await act.Should().ThrowAsync<MetadataStoreException>()).Which;
        error.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);
        error.Message.Should().Contain("empty").And.Contain("read-only");
        new FileInfo(db.Path).Length.Should().Be(0);
    }

    [Theory]
    [InlineData(SchemaMode.CreateOrVerify)]
    [InlineData(SchemaMode.CreateOrUpgrade)]
    [InlineData(SchemaMode.VerifyOnly)]
    public async Task OpenAsync_reads_everything_and_writes_nothing_when_read_only_and_file_written_by_mlmd(SchemaMode mode)
    {
        using var db = new SqliteTestDatabase();
        MlmdWrittenDatabase.Create(db);
        var before = Hash(db.Path);
        var readOnly = new SqliteConnectionStringBuilder { DataSource = db.Path, Mode = SqliteOpenMode.ReadOnly }.ConnectionString;

        await using (var store = await new MetadataStoreBuilder().UseSqlite(readOnly).WithSchemaMode(mode).OpenAsync())
        {
            var dataSet = (await store.GetArtifactTypesAsync()).Should().ContainSingle().Which;
            dataSet.Name.Should().Be("DataSet");
            dataSet.Properties.Should().HaveCount(6);
            (await store.GetExecutionTypesAsync()).Should().ContainSingle().Which.Name.Should().Be("Trainer");
            (await store.GetContextTypesAsync()).Should().ContainSingle().Which.Name.Should().Be("Pipeline");

            var artifacts = await store.EnumerateArtifactsAsync().ToListAsync();
            artifacts.Select(a => a.Uri).Should().Equal(string.Empty, "file:///data/2");
            artifacts[0].Properties["split"].StringValue.Should().Be("train");
            artifacts[0].Properties["config"].StructJson.Should().Be(MlmdWrittenDatabase.StructJson);
            artifacts[0].Properties["blob"].ProtoValue.ToArray().Should().Equal(MlmdWrittenDatabase.ProtoMessage);
            artifacts[0].CustomProperties["note"].StringValue.Should().Be("hello");
            (await store.GetArtifactsByUriAsync(["file:///data/2"])).Should().ContainSingle().Which.ExternalId.Should().Be("art-ext-2");

            var execution = (await store.EnumerateExecutionsAsync().ToListAsync()).Should().ContainSingle().Which;
            execution.Properties["epochs"].IntValue.Should().Be(3);
            var contexts = await store.EnumerateContextsAsync().ToListAsync();
            contexts.Select(c => c.Name).Should().Equal("pipeline-1", "run-of-pipeline-1");
            (await store.GetParentContextsAsync(contexts[1].Id!.Value)).Should().ContainSingle().Which.Name.Should().Be("pipeline-1");
            (await store.GetContextsByArtifactAsync(artifacts[0].Id!.Value)).Should().ContainSingle().Which.Name.Should().Be("pipeline-1");
            (await store.GetContextsByExecutionAsync(execution.Id!.Value)).Should().ContainSingle().Which.Name.Should().Be("pipeline-1");
            (await store.ListArtifactsByContextAsync(contexts[0].Id!.Value)).Items.Should().ContainSingle();
            (await store.GetEventsByExecutionIdsAsync([execution.Id!.Value])).Select(e => e.Path.Count).Should().Equal(2, 2);

            var write = () => store.PutArtifactTypeAsync(ArtifactType.Named("Model"));
            (await write.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);
        }

        Hash(db.Path).Should().Be(before, "a read-only open never writes, in any schema mode");
        db.Query("SELECT name FROM sqlite_master WHERE name LIKE 'mds\\_%' ESCAPE '\\'").Should().BeEmpty();
    }

    [PermissionsEnforcedFact]
    [UnsupportedOSPlatform("windows")]
    public async Task OpenAsync_throws_FailedPrecondition_naming_the_path_when_wal_store_in_read_only_folder()
    {
        using var db = new SqliteTestDatabase();
        await using (var store = await new MetadataStoreBuilder().UseSqliteFile(db.Path).OpenAsync())
        {
            await store.PutArtifactTypeAsync(ArtifactType.Named("Data"));
        }

        var folder = Path.GetDirectoryName(db.Path)!;
        var before = Hash(db.Path);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var act = () => new MetadataStoreBuilder().UseSqliteFile(db.Path).OpenAsync();

            var error = (await act.Should().ThrowAsync<MetadataStoreException>()).Which;
            error.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);
            error.IsTransient.Should().BeFalse();
            error.Message.Should().Contain(db.Path).And.Contain("write access");
            Directory.GetFiles(folder).Select(Path.GetFileName).Should().Equal("store.db");
        }
        finally
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Hash(db.Path).Should().Be(before);
    }

    [PermissionsEnforcedFact]
    [UnsupportedOSPlatform("windows")]
    public async Task OpenAsync_reads_and_refuses_writes_when_file_read_only()
    {
        using var db = new SqliteTestDatabase();
        await using (var store = await new MetadataStoreBuilder().UseSqliteFile(db.Path).OpenAsync())
        {
            await store.PutArtifactTypeAsync(ArtifactType.Named("Data"));
        }

        var before = Hash(db.Path);
        File.SetUnixFileMode(db.Path, UnixFileMode.UserRead);
        try
        {
            // SQLite opens a write-protected file for reading only: the store opens (without trying to write) and reads.
            await using var store = await new MetadataStoreBuilder().UseSqliteFile(db.Path).OpenAsync();
            (await store.GetArtifactTypesAsync()).Should().ContainSingle();

            var act = () => store.PutArtifactTypeAsync(ArtifactType.Named("Model"));

            var error = (await act.Should().ThrowAsync<MetadataStoreException>()).Which;
            error.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);
            error.Message.Should().Contain(db.Path).And.Contain("write access");
        }
        finally
        {
            File.SetUnixFileMode(db.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Hash(db.Path).Should().Be(before);
    }

    [SmallFileSystemFact]
    public async Task OpenAsync_on_a_full_disk_fails_and_leaves_no_new_file_and_existing_files_unchanged()
    {
        var folder = Directory.CreateDirectory(Path.Combine(SmallFileSystemFactAttribute.Folder, Guid.NewGuid().ToString("N"))).FullName;
        var filler = Path.Combine(folder, "filler");
        try
        {
            // An MLMD-written file still lacks our extra indexes, so opening it would write.
            var mlmdPath = Path.Combine(folder, "mlmd.db");
            using (var mlmd = new SqliteTestDatabase())
            {
                MlmdWrittenDatabase.Create(mlmd);
                File.Copy(mlmd.Path, mlmdPath);
            }

            Fill(filler);
            var mlmdBefore = Hash(mlmdPath);
            var files = Directory.GetFiles(folder).Order().ToList();

            var create = () => new MetadataStoreBuilder().UseSqliteFile(Path.Combine(folder, "new.db")).OpenAsync();
            var complete = () => new MetadataStoreBuilder().UseSqliteFile(mlmdPath).OpenAsync();

            (await create.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.Unavailable);
            (await complete.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.Unavailable);
            Directory.GetFiles(folder).Order().Should().Equal(files, "a refused open leaves no new file");
            Hash(mlmdPath).Should().Be(mlmdBefore);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Fill(string path)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        var block = new byte[512];
        try
        {
            while (true)
            {
                stream.Write(block);
                stream.Flush();
            }
        }
        catch (IOException)
        {
            // The file system is full.
        }
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
