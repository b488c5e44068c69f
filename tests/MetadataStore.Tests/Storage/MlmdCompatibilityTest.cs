using FluentAssertions;
using MetadataStore.Semantics;
using MetadataStore.Storage;
using MetadataStore.Storage.Relational;
using MetadataStore.Storage.Sqlite;
using Xunit;

namespace MetadataStore.Tests.Storage;

/// <summary>A database MLMD wrote opens, and every record reads back as MLMD meant it.</summary>
public sealed class MlmdCompatibilityTest
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task GetTypesAsync_reads_mlmd_types_with_properties_and_base_type_when_database_written_by_mlmd()
    {
        using var db = new SqliteTestDatabase();
        MlmdWrittenDatabase.Create(db);
        await using var backend = await db.OpenBackendAsync();

        var artifactType = (await backend.ReadAsync(tx => tx.GetTypesAsync(TypeKind.Artifact, new TypeQuery.ByName("DataSet", null), None))).Single();
        artifactType.Id.Should().Be(10);
        artifactType.Description.Should().Be("a data set");
        artifactType.ExternalId.Should().Be("type-ext-1");
        artifactType.Version.Should().BeNull();
        artifactType.BaseTypeName.Should().Be("mlmd.Dataset");
        artifactType.Properties.Should().BeEquivalentTo(new Dictionary<string, PropertyKind>
        {
            ["split"] = PropertyKind.String, ["config"] = PropertyKind.Struct, ["blob"] = PropertyKind.Proto,
            ["count"] = PropertyKind.Int, ["score"] = PropertyKind.Double, ["ok"] = PropertyKind.Boolean,
        });

        var executionType = (await backend.ReadAsync(tx => tx.GetTypesAsync(TypeKind.Execution, new TypeQuery.ByName("Trainer", "v1"), None))).Single();
        executionType.InputType.Should().Be("""{"any":{}}""");
        executionType.OutputType.Should().Be("""{"none":{}}""");
        executionType.BaseTypeName.Should().Be("mlmd.Train");
        executionType.Properties.Should().ContainKey("epochs").WhoseValue.Should().Be(PropertyKind.Int);

        var all = await backend.ReadAsync(tx => tx.GetTypesAsync(TypeKind.Artifact, new TypeQuery.All(), None));
        all.Where(t => !Mapping.IsSystemType(t)).Select(t => t.Name).Should().Equal("DataSet");
        (await backend.ReadAsync(tx => tx.GetTypesAsync(TypeKind.Context, new TypeQuery.ByExternalIds(["type-ext-1"]), None))).Should().BeEmpty();
        (await backend.ReadAsync(tx => tx.GetTypesAsync(TypeKind.Artifact, new TypeQuery.ByExternalIds(["type-ext-1"]), None))).Single().Id.Should().Be(10);
    }

    [Fact]
    public async Task GetNodesAsync_reads_mlmd_nodes_when_database_written_by_mlmd()
    {
        using var db = new SqliteTestDatabase();
        MlmdWrittenDatabase.Create(db);
        await using var backend = await db.OpenBackendAsync();

        var artifacts = await backend.ReadAsync(tx => tx.GetNodesAsync(NodeKind.Artifact, new NodeQuery.ByIds([2, 1, 99]), None));
        artifacts.Select(a => a.Id).Should().Equal(1, 2);
        artifacts[0].Should().BeEquivalentTo(new NodeRecord
        {
            Id = 1, TypeId = 10, TypeName = "DataSet", Name = "a1", Uri = string.Empty, State = null,
            CreateTime = 1700000000001, LastUpdateTime = 1700000000002,
        });
        artifacts[1].Should().BeEquivalentTo(new NodeRecord
        {
            Id = 2, TypeId = 10, TypeName = "DataSet", Name = null, Uri = "file:///data/2", State = 2, ExternalId = "art-ext-2",
            CreateTime = 1700000000003, LastUpdateTime = 1700000000004,
        });

        var execution = (await backend.ReadAsync(tx => tx.GetNodesAsync(NodeKind.Execution, new NodeQuery.ByTypeAndName(11, "run-1"), None))).Single();
        execution.State.Should().BeNull();
        execution.TypeName.Should().Be("Trainer");

        var contexts = await backend.ReadAsync(tx => tx.GetNodesAsync(NodeKind.Context, new NodeQuery.ByExternalIds(["ctx-ext-1"]), None));
        contexts.Single().Name.Should().Be("pipeline-1");
        (await backend.ReadAsync(tx => tx.GetNodesAsync(NodeKind.Artifact, new NodeQuery.ByUris([""]), None))).Single().Id.Should().Be(1);
    }

    [Fact]
    public async Task GetPropertiesAsync_decodes_every_mlmd_value_encoding_when_database_written_by_mlmd()
    {
        using var db = new SqliteTestDatabase();
        MlmdWrittenDatabase.Create(db);
        await using var backend = await db.OpenBackendAsync();

        var properties = (await backend.ReadAsync(tx => tx.GetPropertiesAsync(NodeKind.Artifact, [1], None)))
            .ToDictionary(p => (p.Name, p.IsCustom), p => PropertyCodec.FromStored(p.Value, p.Name, NodeKind.Artifact, p.NodeId));

        properties.Should().HaveCount(7);
        properties[("split", false)].Should().Be(PropertyValue.FromString("train"));
        properties[("config", false)].Kind.Should().Be(PropertyKind.Struct);
        properties[("config", false)].StructJson.Should().Be(MlmdWrittenDatabase.StructJson);
        properties[("blob", false)].ProtoTypeUrl.Should().Be(MlmdWrittenDatabase.ProtoTypeUrl);
        properties[("blob", false)].ProtoValue.ToArray().Should().Equal(MlmdWrittenDatabase.ProtoMessage);
        properties[("count", false)].Should().Be(PropertyValue.FromInt(7));
        properties[("score", false)].Should().Be(PropertyValue.FromDouble(0.25));
        properties[("ok", true)].Should().Be(PropertyValue.FromBoolean(true));
        properties[("note", true)].Should().Be(PropertyValue.FromString("hello"));

        var executionProperties = await backend.ReadAsync(tx => tx.GetPropertiesAsync(NodeKind.Execution, [1], None));
        executionProperties.Should().BeEquivalentTo(new[]
        {
            new PropertyRecord(1, "epochs", false, PropertyCodec.ToStored(PropertyValue.FromInt(3))),
            new PropertyRecord(1, "cached", true, PropertyCodec.ToStored(PropertyValue.FromBoolean(false))),
        });
        (await backend.ReadAsync(tx => tx.GetPropertiesAsync(NodeKind.Context, [1], None)))
            .Single().Value.Should().Be(new StoredValue(Double: 12.5));
    }

    [Fact]
    public async Task Property_sinks_receive_the_rows_the_record_form_returns_from_backend_and_from_defaults()
    {
        using var db = new SqliteTestDatabase();
        MlmdWrittenDatabase.Create(db);
        await using var backend = await db.OpenBackendAsync();
        var query = new NodeQuery.ByIds([1, 2, 99]);

        var records = await backend.ReadAsync(tx => tx.GetPropertiesAsync(NodeKind.Artifact, [1, 2, 99], None));
        var nodes = await backend.ReadAsync(tx => tx.GetNodesAsync(NodeKind.Artifact, query, None));
        var viaBackend = new PropertyRecordList();
        var viaDefault = new PropertyRecordList();
        var withNodes = new PropertyRecordList();
        var withNodesDefault = new PropertyRecordList();
        await backend.ReadAsync(async tx =>
        {
            await tx.GetPropertiesAsync(NodeKind.Artifact, [1, 2, 99], viaBackend, None);
            await StorageTransactionDefaults.GetPropertiesAsync(tx, NodeKind.Artifact, [1, 2, 99], viaDefault, None);
            (await tx.GetNodesWithPropertiesAsync(NodeKind.Artifact, query, withNodes, None)).Should().BeEquivalentTo(nodes, o => o.WithStrictOrdering());
            (await StorageTransactionDefaults.GetNodesWithPropertiesAsync(tx, NodeKind.Artifact, query, withNodesDefault, None)).Should().BeEquivalentTo(nodes, o => o.WithStrictOrdering());
            return 0;
        });

        records.Where(r => r.NodeId == 1).Should().HaveCount(7);
        foreach (var received in new[] { viaBackend, viaDefault, withNodes, withNodesDefault })
        {
            received.Should().BeEquivalentTo(records);
        }
    }

    [Fact]
    public async Task GetEventsAsync_reads_paths_in_order_when_database_written_by_mlmd()
    {
        using var db = new SqliteTestDatabase();
        MlmdWrittenDatabase.Create(db);
        await using var backend = await db.OpenBackendAsync();

        var events = await backend.ReadAsync(tx => tx.GetEventsAsync(false, [1], None));

        events.Select(e => (e.Id, e.ArtifactId, e.ExecutionId, e.Type, e.Time)).Should().Equal(
            (1L, 1L, 1L, 3, (long?)1700000000030), (2L, 2L, 1L, 4, (long?)1700000000031));
        events[0].Path.Should().Equal(EventStep.ForKey("examples"), EventStep.ForIndex(0));
        events[1].Path.Should().Equal(EventStep.ForIndex(3), EventStep.ForKey("model"));

        var byArtifact = await backend.ReadAsync(tx => tx.GetEventsAsync(true, [2], None));
        byArtifact.Single().Path.Should().Equal(EventStep.ForIndex(3), EventStep.ForKey("model"));
    }

    [Fact]
    public async Task GetContextIdsAsync_reads_mlmd_attributions_associations_and_parents_when_database_written_by_mlmd()
    {
        using var db = new SqliteTestDatabase();
        MlmdWrittenDatabase.Create(db);
        await using var backend = await db.OpenBackendAsync();

        (await backend.ReadAsync(tx => tx.GetContextIdsAsync(NodeKind.Artifact, 1, None))).Should().Equal(1L);
        (await backend.ReadAsync(tx => tx.GetContextIdsAsync(NodeKind.Execution, 1, None))).Should().Equal(1L);
        (await backend.ReadAsync(tx => tx.GetParentLinksAsync([2], true, None))).Should().Equal(new ParentContext(2, 1));
        (await backend.ReadAsync(tx => tx.GetParentLinksAsync([1], false, None))).Should().Equal(new ParentContext(2, 1));
    }

    [Fact]
    public async Task OpenAsync_adds_only_mds_indexes_when_database_written_by_mlmd()
    {
        using var db = new SqliteTestDatabase();
        MlmdWrittenDatabase.Create(db);
        var tablesBefore = db.Query("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").Select(r => string.Join("|", r)).ToList();
        var typesBefore = db.Query("SELECT * FROM Type ORDER BY id").Select(r => string.Join("|", r)).ToList();

        (await db.OpenBackendAsync()).Dispose();

        db.Query("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").Select(r => string.Join("|", r)).Should().Equal(tablesBefore);
        db.Query("SELECT * FROM Type ORDER BY id").Select(r => string.Join("|", r)).Should().Equal(typesBefore);
        db.Query("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'mds_%' ORDER BY name").Select(r => r[0])
            .Should().Equal(SqliteSchema.ExtraIndexes.Select(i => i.Name).Append("mds_type_kind_name_version").Order(StringComparer.Ordinal));
    }
}
