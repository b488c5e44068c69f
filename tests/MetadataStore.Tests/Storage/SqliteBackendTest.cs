using FluentAssertions;
using MetadataStore.Storage;
using MetadataStore.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace MetadataStore.Tests.Storage;

/// <summary>
/// What the SQLite backend alone shows: how its unique-constraint errors read, and retries that give up while another
/// client of the file holds the write lock (the public API has no call that holds a transaction open, so this cannot
/// be a conformance test). Everything else a backend must do is in the conformance suite.
/// </summary>
public sealed class SqliteBackendTest : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly SqliteBackend _backend = new(
        $"Data Source=backend-test-{Guid.NewGuid():N};Mode=Memory;Cache=Shared", NullLogger.Instance);

    public async Task InitializeAsync() => await _backend.OpenAsync(SchemaMode.CreateOrVerify, None);

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task InsertNodeAsync_throws_AlreadyExists_naming_columns_when_type_and_name_taken()
    {
        var (typeId, _) = await AddArtifactAsync("dup");

        var act = () => _backend.WriteAsync(tx => tx.InsertNodeAsync(NodeKind.Artifact, new NodeRecord { TypeId = typeId, Name = "dup", Uri = "" }, None));

        var error = (await act.Should().ThrowAsync<MetadataStoreException>()).Which;
        error.ErrorCode.Should().Be(MetadataErrorCode.AlreadyExists);
        error.Message.Should().Contain("Artifact.type_id, Artifact.name");
    }

    [Fact]
    public async Task ExecuteAsync_throws_Aborted_when_another_writer_holds_the_file()
    {
        using var db = new SqliteTestDatabase();
        (await db.OpenBackendAsync()).Dispose();
        using var holder = db.OpenRaw();
        using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        await using var backend = db.CreateBackend("Default Timeout=1");
        await backend.OpenAsync(SchemaMode.VerifyOnly, None);
        backend.MaxAttempts = 2;

        var act = () => backend.WriteAsync(tx => tx.InsertTypeAsync(new TypeRecord { Name = "Blocked", Kind = TypeKind.Context }, None));

        var error = (await act.Should().ThrowAsync<MetadataStoreException>()).Which;
        error.ErrorCode.Should().Be(MetadataErrorCode.Aborted);
        error.IsTransient.Should().BeTrue();
        error.Message.Should().Contain("concurrent writers");
    }

    private async Task<(long TypeId, long ArtifactId)> AddArtifactAsync(string name)
    {
        var typeId = await _backend.WriteAsync(async tx =>
        {
            var existing = await tx.GetTypesAsync(TypeKind.Artifact, new TypeQuery.ByName("A", null), None);
            return existing.Count > 0 ? existing[0].Id : await tx.InsertTypeAsync(new TypeRecord { Name = "A", Kind = TypeKind.Artifact }, None);
        });
        var id = await _backend.WriteAsync(tx => tx.InsertNodeAsync(NodeKind.Artifact, new NodeRecord { TypeId = typeId, Name = name, Uri = "" }, None));
        return (typeId, id);
    }
}
