using FluentAssertions;

namespace MetadataStore.PostgreSql.Tests;

/// <summary>The owner, writer and read-only roles of the README, through the store.</summary>
public sealed class RoleTest : IAsyncLifetime
{
    private PostgresServer _server = null!;

    public async Task InitializeAsync() => _server = await PostgresServer.SharedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_owner_creates_the_schema_the_writer_writes_and_the_reader_reads_but_cannot_write()
    {
        var schema = _server.NewSchemaName();
        await using (await Open(_server.OwnerConnectionString, schema))
        {
        }

        await using var writer = await Open(_server.WriterConnectionString, schema);
        var typeId = await writer.PutArtifactTypeAsync(ArtifactType.Named("Dataset").WithProperty("rows", PropertyKind.Int));
        var ids = await writer.PutArtifactsAsync([Artifact.Of(typeId, "file:///data/a") with { Properties = new Dictionary<string, PropertyValue> { ["rows"] = 3 } }]);

        await using var reader = await Open(_server.ReaderConnectionString, schema);
        var read = await reader.GetArtifactsByIdAsync(ids);
        read.Should().ContainSingle().Which.Properties["rows"].Should().Be((PropertyValue)3);
        (await reader.ListArtifactsAsync(new NodeListOptions { Filter = "properties.rows.int_value = 3" })).Items.Should().ContainSingle();

        var put = () => reader.PutArtifactsAsync([Artifact.Of(typeId, "file:///data/b")]);
        (await put.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);
        var putType = () => reader.PutArtifactTypeAsync(ArtifactType.Named("Model"));
        (await putType.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);
        (await reader.GetArtifactsByIdAsync(ids)).Should().ContainSingle("a refused write changes nothing and the store still reads");
    }

    [Theory]
    [InlineData(PostgresServer.WriterRole)]
    [InlineData(PostgresServer.ReaderRole)]
    public async Task A_role_without_the_create_privilege_cannot_create_a_new_schema(string role)
    {
        var open = () => Open(_server.RoleConnectionString(role), _server.NewSchemaName());

        var refused = (await open.Should().ThrowAsync<MetadataStoreException>()).Which;
        refused.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);
        refused.Message.Should().Contain("owner");
    }

    [Fact]
    public async Task VerifyOnly_refuses_a_missing_schema_and_creates_nothing()
    {
        var schema = _server.NewSchemaName();
        var open = () => new MetadataStoreBuilder().UsePostgreSql(_server.OwnerConnectionString, schema).WithSchemaMode(SchemaMode.VerifyOnly).OpenAsync();

        (await open.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);
        await using var created = await Open(_server.OwnerConnectionString, schema);
        (await created.GetArtifactTypesAsync()).Should().BeEmpty("the refused open left the schema for a later one to create");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("pg_catalog")]
    [InlineData("a_schema_name_that_is_far_longer_than_the_sixty_three_bytes_postgres_keeps")]
    public void An_unusable_schema_name_is_InvalidArgument(string schema)
    {
        var use = () => new MetadataStoreBuilder().UsePostgreSql(_server.OwnerConnectionString, schema);

        use.Should().Throw<MetadataStoreException>().Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
    }

    private static Task<IMetadataStore> Open(string connectionString, string schema) =>
        new MetadataStoreBuilder().UsePostgreSql(connectionString, schema).OpenAsync();
}
