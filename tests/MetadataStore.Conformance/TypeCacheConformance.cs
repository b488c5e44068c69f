using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>
/// A store may keep the types its writes read; the kept types must never make a write wrong: not after another store
/// on the same database evolves a type, and not after a call that put a type rolled back.
/// </summary>
public abstract class TypeCacheConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    /// <summary>PutArtifactsAsync accepts property when another store added it after first use.</summary>
    [Fact]
    public async Task PutArtifactsAsync_accepts_property_when_another_store_added_it_after_first_use()
    {
        await using var first = await factory.OpenEmptyAsync();
        var typeId = await first.PutArtifactTypeAsync(ArtifactType.Named("Dataset").WithProperty("rows", PropertyKind.Int));
        await first.PutArtifactsAsync([Artifact.Of(typeId, "file:///a").With("rows", 1)]);

        await using (var second = await factory.OpenSameAsync(first))
        {
            var evolved = ArtifactType.Named("Dataset").WithProperty("rows", PropertyKind.Int).WithProperty("split", PropertyKind.String);
            (await second.PutArtifactTypeAsync(evolved, new PutTypeOptions { CanAddFields = true })).Should().Be(typeId);
        }

        var ids = await first.PutArtifactsAsync([Artifact.Of(typeId, "file:///b").With("rows", 2).With("split", "train")]);

        var stored = await first.GetArtifactsByIdAsync(ids);
        stored.Single().Properties.Should().ContainKey("split").WhoseValue.Should().Be((PropertyValue)"train");
    }

    /// <summary>PutExecutionAsync accepts properties when another store added them after first use.</summary>
    [Fact]
    public async Task PutExecutionAsync_accepts_properties_when_another_store_added_them_after_first_use()
    {
        await using var first = await factory.OpenEmptyAsync();
        var trainer = await first.PutExecutionTypeAsync(ExecutionType.Named("Trainer"));
        var model = await first.PutArtifactTypeAsync(ArtifactType.Named("Model"));
        var pipeline = await first.PutContextTypeAsync(ContextType.Named("Pipeline"));
        await PublishAsync(first, pipeline, Execution.Of(trainer), Artifact.Of(model, "file:///m1"));

        await using (var second = await factory.OpenSameAsync(first))
        {
            var add = new PutTypeOptions { CanAddFields = true };
            await second.PutExecutionTypeAsync(ExecutionType.Named("Trainer").WithProperty("epochs", PropertyKind.Int), add);
            await second.PutArtifactTypeAsync(ArtifactType.Named("Model").WithProperty("accuracy", PropertyKind.Double), add);
        }

        var result = await PublishAsync(first, pipeline, Execution.Of(trainer).With("epochs", 10), Artifact.Of(model, "file:///m2").With("accuracy", 0.9));

        (await first.GetExecutionsByIdAsync([result.ExecutionId])).Single().Properties["epochs"].Should().Be((PropertyValue)10);
        (await first.GetArtifactsByIdAsync([result.ArtifactIds[0]!.Value])).Single().Properties["accuracy"].Should().Be((PropertyValue)0.9);
    }

    /// <summary>PutArtifactsAsync sees type added by another store after a lookup missed it.</summary>
    [Fact]
    public async Task PutArtifactsAsync_sees_type_added_by_another_store_after_a_lookup_missed_it()
    {
        await using var first = await factory.OpenEmptyAsync();
        var byNameBeforePut = () => first.PutArtifactsAsync([Artifact.Of("Late", "file:///a")]);
        (await byNameBeforePut.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.NotFound);

        long typeId;
        await using (var second = await factory.OpenSameAsync(first))
        {
            typeId = await second.PutArtifactTypeAsync(ArtifactType.Named("Late").WithProperty("n", PropertyKind.Int));
        }

        var ids = await first.PutArtifactsAsync([Artifact.Of("Late", "file:///b").With("n", 3)]);

        (await first.GetArtifactsByIdAsync(ids)).Single().TypeId.Should().Be(typeId);
    }

    /// <summary>PutArtifactsAsync still rejects undeclared and mismatched properties after type is cached.</summary>
    [Fact]
    public async Task PutArtifactsAsync_still_rejects_undeclared_and_mismatched_properties_after_type_is_cached()
    {
        await using var store = await factory.OpenEmptyAsync();
        var typeId = await store.PutArtifactTypeAsync(ArtifactType.Named("Dataset").WithProperty("rows", PropertyKind.Int));
        await store.PutArtifactsAsync([Artifact.Of(typeId, "file:///a").With("rows", 1)]);

        var undeclared = () => store.PutArtifactsAsync([Artifact.Of(typeId, "file:///b").With("split", "train")]);
        var mismatched = () => store.PutArtifactsAsync([Artifact.Of(typeId, "file:///c").With("rows", "many")]);

        (await undeclared.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
        (await mismatched.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
    }

    /// <summary>PutArtifactsAsync checks against committed type when call that put type rolled back.</summary>
    [Fact]
    public async Task PutArtifactsAsync_checks_against_committed_type_when_call_that_put_type_rolled_back()
    {
        await using var store = await factory.OpenEmptyAsync();
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

    /// <summary>PutArtifactsAsync resolves type by name when put call of that name rolled back before.</summary>
    [Fact]
    public async Task PutArtifactsAsync_resolves_type_by_name_when_put_call_of_that_name_rolled_back_before()
    {
        await using var store = await factory.OpenEmptyAsync();
        var failing = () => store.PutTypesAsync([ArtifactType.Named("Dataset").WithProperty("x", PropertyKind.Int)], [ExecutionType.Named(string.Empty)], []);
        await failing.Should().ThrowAsync<MetadataStoreException>();
        var byNameBeforePut = () => store.PutArtifactsAsync([Artifact.Of("Dataset", "file:///a")]);
        (await byNameBeforePut.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.NotFound);

        var typeId = await store.PutArtifactTypeAsync(ArtifactType.Named("Dataset").WithProperty("y", PropertyKind.String));
        var ids = await store.PutArtifactsAsync([Artifact.Of("Dataset", "file:///b").With("y", "ok")]);

        (await store.GetArtifactsByIdAsync(ids)).Single().TypeId.Should().Be(typeId);
    }

    /// <summary>PutArtifactsAsync accepts property when same store added it after first use.</summary>
    [Fact]
    public async Task PutArtifactsAsync_accepts_property_when_same_store_added_it_after_first_use()
    {
        await using var store = await factory.OpenEmptyAsync();
        var typeId = await store.PutArtifactTypeAsync(ArtifactType.Named("Dataset").WithProperty("rows", PropertyKind.Int));
        await store.PutArtifactsAsync([Artifact.Of(typeId, "file:///a").With("rows", 1)]);
        await store.PutArtifactTypeAsync(ArtifactType.Named("Dataset").WithProperty("rows", PropertyKind.Int).WithProperty("split", PropertyKind.String), new PutTypeOptions { CanAddFields = true });

        var ids = await store.PutArtifactsAsync([Artifact.Of("Dataset", "file:///b").With("split", "eval")]);

        (await store.GetArtifactsByIdAsync(ids)).Single().Properties["split"].Should().Be((PropertyValue)"eval");
    }

    private static Task<PutExecutionResult> PublishAsync(IMetadataStore store, long pipeline, Execution execution, Artifact output) =>
        store.PutExecutionAsync(
            execution,
            [new ArtifactAndEvent(output, Event.Of(EventType.Output))],
            [Context.Of(pipeline, "run-1")],
            new PutExecutionOptions { ReuseContextIfAlreadyExists = true });
}
