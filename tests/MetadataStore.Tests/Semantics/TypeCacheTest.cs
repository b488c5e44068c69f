using FluentAssertions;
using Xunit;

namespace MetadataStore.Tests.Semantics;

/// <summary>
/// A store keeps the types its writes read; these tests show the kept types never make a write wrong: not after
/// another store on the same file evolves a type, and not after a call that put a type rolled back.
/// </summary>
public sealed class TypeCacheTest : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("metadatastore-typecache-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    [Fact]
    public async Task PutArtifactsAsync_accepts_property_when_another_store_added_it_after_first_use()
    {
        var path = Path.Combine(_folder, "evolved.db");
        await using var first = await OpenAsync(path);
        var typeId = await first.PutArtifactTypeAsync(ArtifactType.Named("Dataset").WithProperty("rows", PropertyKind.Int));
        await first.PutArtifactsAsync([Artifact.Of(typeId, "file:///a").With("rows", 1)]);

        await using (var second = await OpenAsync(path))
        {
            var evolved = ArtifactType.Named("Dataset").WithProperty("rows", PropertyKind.Int).WithProperty("split", PropertyKind.String);
            (await second.PutArtifactTypeAsync(evolved, new PutTypeOptions { CanAddFields = true })).Should().Be(typeId);
        }

        var ids = await first.PutArtifactsAsync([Artifact.Of(typeId, "file:///b").With("rows", 2).With("split", "train")]);

        var stored = await first.GetArtifactsByIdAsync(ids);
        stored.Single().Properties.Should().ContainKey("split").WhoseValue.Should().Be((PropertyValue)"train");
    }

    [Fact]
    public async Task PutExecutionAsync_accepts_properties_when_another_store_added_them_after_first_use()
    {
        var path = Path.Combine(_folder, "evolved-publish.db");
        await using var first = await OpenAsync(path);
        var trainer = await first.PutExecutionTypeAsync(ExecutionType.Named("Trainer"));
        var model = await first.PutArtifactTypeAsync(ArtifactType.Named("Model"));
        var pipeline = await first.PutContextTypeAsync(ContextType.Named("Pipeline"));
        await PublishAsync(first, pipeline, Execution.Of(trainer), Artifact.Of(model, "file:///m1"));

        await using (var second = await OpenAsync(path))
        {
            var add = new PutTypeOptions { CanAddFields = true };
            await second.PutExecutionTypeAsync(ExecutionType.Named("Trainer").WithProperty("epochs", PropertyKind.Int), add);
            await second.PutArtifactTypeAsync(ArtifactType.Named("Model").WithProperty("accuracy", PropertyKind.Double), add);
        }

        var result = await PublishAsync(first, pipeline, Execution.Of(trainer).With("epochs", 10), Artifact.Of(model, "file:///m2").With("accuracy", 0.9));

        (await first.GetExecutionsByIdAsync([result.ExecutionId])).Single().Properties["epochs"].Should().Be((PropertyValue)10);
        (await first.GetArtifactsByIdAsync([result.ArtifactIds[0]!.Value])).Single().Properties["accuracy"].Should().Be((PropertyValue)0.9);
    }

    [Fact]
    public async Task PutArtifactsAsync_still_rejects_undeclared_and_mismatched_properties_after_type_is_cached()
    {
        await using var store = await OpenAsync(Path.Combine(_folder, "checks.db"));
        var typeId = await store.PutArtifactTypeAsync(ArtifactType.Named("Dataset").WithProperty("rows", PropertyKind.Int));
        await store.PutArtifactsAsync([Artifact.Of(typeId, "file:///a").With("rows", 1)]);

        var undeclared = () => store.PutArtifactsAsync([Artifact.Of(typeId, "file:///b").With("split", "train")]);
        var mismatched = () => store.PutArtifactsAsync([Artifact.Of(typeId, "file:///c").With("rows", "many")]);

        (await undeclared.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
        (await mismatched.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
    }

    [Fact]
    public async Task PutArtifactsAsync_checks_against_committed_type_when_call_that_put_type_rolled_back()
    {
        await using var store = await OpenAsync(Path.Combine(_folder, "rolled-back.db"));
        var failing = () => store.PutTypesAsync(
            [ArtifactType.Named("Ghost").WithProperty("x", PropertyKind.Int)],
            [ExecutionType.Named(string.Empty)],
            []);
        await failing.Should().ThrowAsync<MetadataStoreException>();

        // The rolled-back type's id may be handed out again; the type stored under it now is another one.
        var typeId = await store.PutArtifactTypeAsync(ArtifactType.Named("Real").WithProperty("y", PropertyKind.String));
        await store.PutArtifactsAsync([Artifact.Of(typeId, "file:///a").With("y", "ok")]);
        var ghostProperty = () => store.PutArtifactsAsync([Artifact.Of(typeId, "file:///b").With("x", 1)]);

        (await ghostProperty.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
        (await store.GetArtifactTypesAsync()).Select(t => t.Name).Should().NotContain("Ghost");
    }

    [Fact]
    public async Task PutArtifactsAsync_resolves_type_by_name_when_put_call_of_that_name_rolled_back_before()
    {
        await using var store = await OpenAsync(Path.Combine(_folder, "rolled-back-name.db"));
        var failing = () => store.PutTypesAsync([ArtifactType.Named("Dataset").WithProperty("x", PropertyKind.Int)], [ExecutionType.Named(string.Empty)], []);
        await failing.Should().ThrowAsync<MetadataStoreException>();
        var byNameBeforePut = () => store.PutArtifactsAsync([Artifact.Of("Dataset", "file:///a")]);
        (await byNameBeforePut.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.NotFound);

        var typeId = await store.PutArtifactTypeAsync(ArtifactType.Named("Dataset").WithProperty("y", PropertyKind.String));
        var ids = await store.PutArtifactsAsync([Artifact.Of("Dataset", "file:///b").With("y", "ok")]);

        (await store.GetArtifactsByIdAsync(ids)).Single().TypeId.Should().Be(typeId);
    }

    [Fact]
    public async Task PutArtifactsAsync_accepts_property_when_same_store_added_it_after_first_use()
    {
        await using var store = await OpenAsync(Path.Combine(_folder, "same-store.db"));
        var typeId = await store.PutArtifactTypeAsync(ArtifactType.Named("Dataset").WithProperty("rows", PropertyKind.Int));
        await store.PutArtifactsAsync([Artifact.Of(typeId, "file:///a").With("rows", 1)]);
        await store.PutArtifactTypeAsync(ArtifactType.Named("Dataset").WithProperty("rows", PropertyKind.Int).WithProperty("split", PropertyKind.String), new PutTypeOptions { CanAddFields = true });

        var ids = await store.PutArtifactsAsync([Artifact.Of("Dataset", "file:///b").With("split", "eval")]);

        (await store.GetArtifactsByIdAsync(ids)).Single().Properties["split"].Should().Be((PropertyValue)"eval");
    }

    private static Task<IMetadataStore> OpenAsync(string path) => new MetadataStoreBuilder().UseSqliteFile(path).OpenAsync();

    private static Task<PutExecutionResult> PublishAsync(IMetadataStore store, long pipeline, Execution execution, Artifact output) =>
        store.PutExecutionAsync(
            execution,
            [new ArtifactAndEvent(output, Event.Of(EventType.Output))],
            [Context.Of(pipeline, "run-1")],
            new PutExecutionOptions { ReuseContextIfAlreadyExists = true });
}
