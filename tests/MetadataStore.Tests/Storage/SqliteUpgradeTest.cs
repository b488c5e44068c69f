using System.Security.Cryptography;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using Xunit;

namespace MetadataStore.Tests.Storage;

/// <summary>
/// Stores written by MLMD before 1.11 (schema 6 to 9) upgrade in place to 10 through the public builder, every record
/// reads back, and a refused or failed upgrade leaves the file byte for byte as it was.
/// </summary>
public sealed class SqliteUpgradeTest
{
    public static TheoryData<int> OlderVersions => new() { 6, 7, 8, 9 };

    [Theory]
    [MemberData(nameof(OlderVersions))]
    public async Task OpenAsync_upgrades_to_version_10_and_reads_every_type_when_store_written_by_older_mlmd(int version)
    {
        using var db = CreateOlder(version);
        var first = MlmdOlderDatabase.FirstUserTypeId(version);

        await using var store = await OpenAsync(db, SchemaMode.CreateOrUpgrade);

        var dataSet = await store.GetArtifactTypeAsync("DataSet");
        dataSet.Id.Should().Be(first);
        dataSet.Description.Should().Be("a data set");
        dataSet.Version.Should().BeNull();
        dataSet.ExternalId.Should().Be(version >= 9 ? "type-ext-1" : null);
        dataSet.BaseType.Should().Be(version >= 7 ? ArtifactBaseType.Dataset : null);
        dataSet.Properties.Should().BeEquivalentTo(new Dictionary<string, PropertyKind>
        {
            ["split"] = PropertyKind.String, ["config"] = PropertyKind.Struct, ["count"] = PropertyKind.Int, ["score"] = PropertyKind.Double,
        });

        var trainer = await store.GetExecutionTypeAsync("Trainer", "v1");
        trainer.Id.Should().Be(first + 1);
        trainer.InputType.Should().Be(MlmdOlderDatabase.TrainerInputType);
        trainer.OutputType.Should().Be(MlmdOlderDatabase.TrainerOutputType);
        trainer.BaseType.Should().Be(version >= 7 ? ExecutionBaseType.Train : null);
        trainer.Properties.Should().Equal(new Dictionary<string, PropertyKind> { ["epochs"] = PropertyKind.Int });

        var pipeline = await store.GetContextTypeAsync("Pipeline");
        pipeline.Id.Should().Be(first + 2);
        pipeline.Properties.Should().Equal(new Dictionary<string, PropertyKind> { ["owner"] = PropertyKind.String });

        // The system types MLMD 1.0 lacked are added, and stay hidden from listings as MLMD hides them.
        (await store.GetArtifactTypesAsync()).Select(t => t.Name).Should().Equal("DataSet");
        (await store.GetExecutionTypesAsync()).Select(t => t.Name).Should().Equal("Trainer");
        (await store.GetContextTypesAsync()).Select(t => t.Name).Should().Equal("Pipeline");
        db.Query("SELECT count(*) FROM Type WHERE name LIKE 'mlmd.%'")[0][0].Should().Be(9L);
    }

    [Theory]
    [MemberData(nameof(OlderVersions))]
    public async Task OpenAsync_upgrades_to_version_10_and_reads_every_node_with_properties_when_store_written_by_older_mlmd(int version)
    {
        using var db = CreateOlder(version);
        var first = MlmdOlderDatabase.FirstUserTypeId(version);

        await using var store = await OpenAsync(db, SchemaMode.CreateOrUpgrade);

        var artifacts = await store.GetArtifactsByIdAsync([1, 2, MlmdOlderDatabase.DeletedArtifactId]);
        artifacts.Should().HaveCount(2);
        var a1 = artifacts.Single(a => a.Id == 1);
        a1.TypeId.Should().Be(first);
        a1.TypeName.Should().Be("DataSet");
        a1.Name.Should().Be("a1");
        a1.Uri.Should().BeEmpty();
        a1.State.Should().BeNull();
        a1.ExternalId.Should().BeNull();
        a1.CreateTime.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1600000000001));
        a1.LastUpdateTime.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1600000000002));
        a1.Properties.Should().HaveCount(4);
        a1.Properties["split"].Should().Be(PropertyValue.FromString("train"));
        a1.Properties["config"].StructJson.Should().Be(MlmdWrittenDatabase.StructJson);
        a1.Properties["count"].Should().Be(PropertyValue.FromInt(7));
        a1.Properties["score"].Should().Be(PropertyValue.FromDouble(0.25));
        a1.CustomProperties.Should().Equal(new Dictionary<string, PropertyValue> { ["note"] = PropertyValue.FromString("hello") });

        var a2 = artifacts.Single(a => a.Id == 2);
        a2.Name.Should().BeNull();
        a2.Uri.Should().Be("file:///data/2");
        a2.State.Should().Be(ArtifactState.Live);
        a2.ExternalId.Should().Be(version >= 9 ? "art-ext-2" : null);
        a2.Properties.Should().Equal(new Dictionary<string, PropertyValue> { ["count"] = PropertyValue.FromInt(9) });

        var execution = (await store.GetExecutionsByIdAsync([1])).Single();
        execution.TypeName.Should().Be("Trainer");
        execution.Name.Should().Be("run-1");
        execution.LastKnownState.Should().Be(ExecutionState.Complete);
        execution.ExternalId.Should().Be(version >= 9 ? "exec-ext-1" : null);
        execution.CreateTime.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1600000000010));
        execution.Properties.Should().Equal(new Dictionary<string, PropertyValue> { ["epochs"] = PropertyValue.FromInt(3) });
        execution.CustomProperties.Should().Equal(new Dictionary<string, PropertyValue> { ["cached"] = PropertyValue.FromString("no") });

        var contexts = await store.GetContextsByIdAsync([1, 2]);
        contexts.Select(c => (c.Id, c.Name, c.ExternalId)).Should().BeEquivalentTo(new[]
        {
            ((long?)1, "pipeline-1", version >= 9 ? "ctx-ext-1" : null),
            ((long?)2, "run-of-pipeline-1", (string?)null),
        });
        var pipeline = contexts.Single(c => c.Id == 1);
        pipeline.LastUpdateTime.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1600000000021));
        pipeline.Properties.Should().Equal(new Dictionary<string, PropertyValue> { ["owner"] = PropertyValue.FromString("team-a") });
        pipeline.CustomProperties.Should().Equal(new Dictionary<string, PropertyValue> { ["budget"] = PropertyValue.FromDouble(12.5) });

        if (version >= 9)
        {
            (await store.GetArtifactsByExternalIdAsync(["art-ext-2"])).Single().Id.Should().Be(2);
            (await store.GetArtifactTypesByExternalIdAsync(["type-ext-1"])).Single().Name.Should().Be("DataSet");
        }

        (await store.GetArtifactsByUriAsync(["file:///data/2"])).Single().Id.Should().Be(2);
        (await store.GetContextByTypeAndNameAsync("Pipeline", null, "run-of-pipeline-1"))!.Id.Should().Be(2);
    }

    [Theory]
    [MemberData(nameof(OlderVersions))]
    public async Task OpenAsync_upgrades_to_version_10_and_reads_events_and_edges_when_store_written_by_older_mlmd(int version)
    {
        using var db = CreateOlder(version);

        await using var store = await OpenAsync(db, SchemaMode.CreateOrUpgrade);

        // Before 8 a second event of the same artifact, execution and type could exist: the newest stays, with its path.
        var events = await store.GetEventsByExecutionIdsAsync([1]);
        events.Should().HaveCount(2);
        var input = events.Single(e => e.Type == EventType.Input);
        input.ArtifactId.Should().Be(1);
        input.Time.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1600000000030));
        input.Path.Should().Equal(EventStep.ForKey("examples"), EventStep.ForIndex(0));
        var output = events.Single(e => e.Type == EventType.Output);
        output.ArtifactId.Should().Be(2);
        output.Time.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1600000000032));
        output.Path.Should().Equal(EventStep.ForIndex(3), EventStep.ForKey("model"));
        db.Query("SELECT count(*) FROM EventPath")[0][0].Should().Be(4L, "the paths of a dropped duplicate go with it");

        (await store.GetContextsByArtifactAsync(1)).Select(c => c.Name).Should().Equal("pipeline-1");
        (await store.GetContextsByArtifactAsync(2)).Select(c => c.Name).Should().Equal("run-of-pipeline-1");
        (await store.GetContextsByExecutionAsync(1)).Select(c => c.Name).Should().Equal("pipeline-1");
        (await store.GetParentContextsAsync(2)).Select(c => c.Name).Should().Equal("pipeline-1");
        (await store.GetChildContextsAsync(1)).Select(c => c.Name).Should().Equal("run-of-pipeline-1");
        (await store.ListArtifactsByContextAsync(1)).Items.Select(a => a.Id).Should().Equal(1L);
        (await store.ListExecutionsByContextAsync(1)).Items.Select(e => e.Id).Should().Equal(1L);
    }

    [Theory]
    [MemberData(nameof(OlderVersions))]
    public async Task OpenAsync_keeps_ids_of_deleted_rows_unused_when_upgraded(int version)
    {
        using var db = CreateOlder(version);

        await using var store = await OpenAsync(db, SchemaMode.CreateOrUpgrade);

        var ids = await store.PutArtifactsAsync([new Artifact { TypeName = "DataSet", Uri = "file:///new" }]);

        ids.Should().Equal(MlmdOlderDatabase.DeletedArtifactId + 1);
    }

    [Theory]
    [MemberData(nameof(OlderVersions))]
    public async Task OpenAsync_leaves_mlmd_v10_layout_with_mds_extras_and_reopens_without_writing_when_upgraded(int version)
    {
        using var db = CreateOlder(version);

        (await OpenAsync(db, SchemaMode.CreateOrUpgrade)).Dispose();

        SqliteSchemaTest.AssertVersion10Layout(db);
        db.Query("SELECT schema_version FROM MLMDEnv").Select(r => r[0]).Should().Equal(10L);
        db.Query("SELECT name FROM sqlite_master WHERE name LIKE 'mds_upgrade_%'").Should().BeEmpty();

        var upgraded = Hash(db.Path);
        foreach (var mode in new[] { SchemaMode.CreateOrUpgrade, SchemaMode.CreateOrVerify, SchemaMode.VerifyOnly })
        {
            (await OpenAsync(db, mode)).Dispose();
            Hash(db.Path).Should().Equal(upgraded, because: $"opening an upgraded store in {mode} writes nothing");
        }
    }

    [Fact]
    public async Task OpenAsync_upgrades_once_when_several_stores_open_older_file_at_once()
    {
        using var db = CreateOlder(7);

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => OpenAsync(db, SchemaMode.CreateOrUpgrade))));
        try
        {
            foreach (var store in stores)
            {
                (await store.GetEventsByExecutionIdsAsync([1])).Should().HaveCount(2);
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }

        db.Query("SELECT schema_version FROM MLMDEnv").Select(r => r[0]).Should().Equal(10L);
        db.Query("SELECT count(*) FROM Type WHERE name LIKE 'mlmd.%'")[0][0].Should().Be(9L);
        SqliteSchemaTest.AssertVersion10Layout(db);
    }

    [Theory]
    [InlineData(SchemaMode.CreateOrVerify)]
    [InlineData(SchemaMode.VerifyOnly)]
    public async Task OpenAsync_throws_FailedPrecondition_naming_release_and_mode_when_older_store_opened_without_upgrade(SchemaMode mode)
    {
        using var db = CreateOlder(8);

        var error = await RefuseAsync(db, mode, MetadataErrorCode.FailedPrecondition);

        error.Message.Should().Contain("schema version 8").And.Contain("MLMD 1.7 to 1.10").And.Contain("CreateOrUpgrade");
    }

    [Fact]
    public async Task OpenAsync_throws_FailedPrecondition_when_upgrading_store_newer_than_version_10()
    {
        using var db = new SqliteTestDatabase();
        MlmdWrittenDatabase.Create(db);
        db.Execute("UPDATE MLMDEnv SET schema_version = 11");

        var error = await RefuseAsync(db, SchemaMode.CreateOrUpgrade, MetadataErrorCode.FailedPrecondition);

        error.Message.Should().Contain("schema version 11 is newer").And.Contain("newer version of the library");
    }

    [Theory]
    [InlineData(5, "before 0.25")]
    [InlineData(0, "before 0.25")]
    [InlineData(-1, "no MLMD release")]
    public async Task OpenAsync_throws_FailedPrecondition_when_upgrading_version_below_6(int version, string writer)
    {
        using var db = CreateOlder(6);
        db.Execute($"UPDATE MLMDEnv SET schema_version = {version}");

        var error = await RefuseAsync(db, SchemaMode.CreateOrUpgrade, MetadataErrorCode.FailedPrecondition);

        error.Message.Should().Contain($"schema version {version}").And.Contain(writer).And.Contain("MLMD 1.11 or later");
    }

    [Fact]
    public async Task OpenAsync_throws_FailedPrecondition_when_upgrading_foreign_database()
    {
        using var db = new SqliteTestDatabase();
        db.Execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'x');");

        var error = await RefuseAsync(db, SchemaMode.CreateOrUpgrade, MetadataErrorCode.FailedPrecondition);

        error.Message.Should().Contain("not an MLMD database").And.Contain("customers");
    }

    [Fact]
    public async Task OpenAsync_throws_FailedPrecondition_naming_differences_when_layout_does_not_match_its_version()
    {
        using var db = new SqliteTestDatabase();
        MlmdWrittenDatabase.Create(db);
        db.Execute("UPDATE MLMDEnv SET schema_version = 8");

        var error = await RefuseAsync(db, SchemaMode.CreateOrUpgrade, MetadataErrorCode.FailedPrecondition);

        error.Message.Should().Contain("says schema version 8").And.Contain("Type has unexpected external_id")
            .And.Contain("ArtifactProperty has unexpected proto_value, bool_value");
    }

    [Fact]
    public async Task OpenAsync_throws_FailedPrecondition_naming_missing_table_when_older_layout_partial()
    {
        using var db = CreateOlder(7);
        db.Execute("DROP TABLE ParentContext");

        var error = await RefuseAsync(db, SchemaMode.CreateOrUpgrade, MetadataErrorCode.FailedPrecondition);

        error.Message.Should().Contain("table ParentContext is missing");
    }

    [Fact]
    public async Task OpenAsync_throws_FailedPrecondition_when_upgrading_on_read_only_connection()
    {
        using var db = CreateOlder(9);
        var readOnly = new SqliteConnectionStringBuilder { DataSource = db.Path, Mode = SqliteOpenMode.ReadOnly }.ConnectionString;

        var error = await RefuseAsync(db, SchemaMode.CreateOrUpgrade, MetadataErrorCode.FailedPrecondition, readOnly);

        error.Message.Should().Contain("read-only");
    }

    [Fact]
    public async Task OpenAsync_rolls_back_every_step_and_leaves_file_unchanged_when_upgrade_fails_midway()
    {
        // The step to 7 succeeds; the step to 8 rebuilds Event, which a view of the user's over Event blocks.
        using var db = CreateOlder(6);
        db.Execute("CREATE VIEW recent_events AS SELECT id FROM Event WHERE milliseconds_since_epoch > 0;");

        var error = await RefuseAsync(db, SchemaMode.CreateOrUpgrade, MetadataErrorCode.Internal);

        error.Message.Should().Contain("failed at the step to version 8").And.Contain("recent_events").And.Contain("unchanged");
        db.Query("SELECT count(*) FROM pragma_table_info('ArtifactProperty') WHERE name = 'byte_value'")[0][0].Should().Be(0L);
        db.Query("SELECT schema_version FROM MLMDEnv")[0][0].Should().Be(6L);
    }

    private static SqliteTestDatabase CreateOlder(int version)
    {
        var db = new SqliteTestDatabase();
        MlmdOlderDatabase.Create(db, version);
        return db;
    }

    private static Task<IMetadataStore> OpenAsync(SqliteTestDatabase db, SchemaMode mode, string? connectionString = null) =>
        new MetadataStoreBuilder().UseSqlite(connectionString ?? db.ConnectionString).WithSchemaMode(mode).OpenAsync();

    private static byte[] Hash(string path) => SHA256.HashData(File.ReadAllBytes(path));

    private static async Task<MetadataStoreException> RefuseAsync(SqliteTestDatabase db, SchemaMode mode, MetadataErrorCode expected, string? connectionString = null)
    {
        var before = Hash(db.Path);

        var act = () => OpenAsync(db, mode, connectionString);

        var error = (await act.Should().ThrowAsync<MetadataStoreException>()).Which;
        error.ErrorCode.Should().Be(expected);
        error.Message.Should().Contain(db.Path);
        Hash(db.Path).Should().Equal(before, because: "a refused or failed upgrade leaves the file byte for byte as it was");
        File.Exists(db.Path + "-wal").Should().BeFalse();
        File.Exists(db.Path + "-journal").Should().BeFalse();
        return error;
    }
}
