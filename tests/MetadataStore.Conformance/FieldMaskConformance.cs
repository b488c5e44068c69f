using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>Updates with and without a field mask (<see cref="PutNodesOptions.FieldMask"/>).</summary>
public abstract class FieldMaskConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    private static PutNodesOptions Mask(params string[] paths) => new() { FieldMask = paths };

    private static async Task<(ArtifactType Type, long Id)> StoreFullArtifactAsync(IMetadataStore store)
    {
        var type = await store.AddArtifactTypeAsync(("p1", PropertyKind.Int), ("p2", PropertyKind.String));
        var id = await store.PutArtifactAsync((Artifact.Of(type.StoredId, "uri-0", "a") with { State = ArtifactState.Pending, ExternalId = "ext-0" })
            .With("p1", 1).With("p2", "two").WithCustom("c1", 1.5).WithCustom("c2", true));
        return (type, id);
    }

    /// <summary>PutArtifacts replaces everything when mask is empty.</summary>
    [Fact]
    public async Task PutArtifacts_replaces_everything_when_mask_is_empty()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (type, id) = await StoreFullArtifactAsync(store);

        await store.PutArtifactAsync(new Artifact { Id = id, TypeId = type.Id }.With("p1", 5));

        var stored = await store.GetArtifactAsync(id);
        stored.Uri.Should().BeEmpty();
        stored.State.Should().BeNull();
        stored.ExternalId.Should().BeNull();
        stored.Name.Should().Be("a");
        stored.Properties.Should().BeEquivalentTo(new Dictionary<string, PropertyValue> { ["p1"] = 5 });
        stored.CustomProperties.Should().BeEmpty();
    }

    /// <summary>PutExecutions replaces everything when options are null.</summary>
    [Fact]
    public async Task PutExecutions_replaces_everything_when_options_are_null()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddExecutionTypeAsync(("p", PropertyKind.Int));
        var id = await store.PutSingleExecutionAsync((Execution.Of(type.StoredId, ExecutionState.Running) with { ExternalId = "x" }).With("p", 1).WithCustom("c", 2));

        await store.PutExecutionsAsync([new Execution { Id = id, TypeId = type.Id }], null);

        var stored = await store.GetExecutionAsync(id);
        stored.LastKnownState.Should().BeNull();
        stored.ExternalId.Should().BeNull();
        stored.Properties.Should().BeEmpty();
        stored.CustomProperties.Should().BeEmpty();
    }

    /// <summary>PutContexts replaces properties when mask is empty.</summary>
    [Fact]
    public async Task PutContexts_replaces_properties_when_mask_is_empty()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddContextTypeAsync(("p", PropertyKind.Int));
        var id = await store.PutContextAsync((Context.Of(type.StoredId, "c") with { ExternalId = "x" }).With("p", 1).WithCustom("k", "v"));

        await store.PutContextAsync(Context.Of(type.StoredId, "c").WithCustom("k2", "v2") with { Id = id });

        var stored = await store.GetContextAsync(id);
        stored.ExternalId.Should().BeNull();
        stored.Properties.Should().BeEmpty();
        stored.CustomProperties.Keys.Should().BeEquivalentTo(["k2"]);
    }

    /// <summary>PutArtifacts updates only uri when mask is uri.</summary>
    [Fact]
    public async Task PutArtifacts_updates_only_uri_when_mask_is_uri()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (type, id) = await StoreFullArtifactAsync(store);
        var before = await store.GetArtifactAsync(id);

        await store.PutArtifactAsync(new Artifact { Id = id, TypeId = type.Id, Uri = "uri-1" }, Mask("uri"));

        var stored = await store.GetArtifactAsync(id);
        stored.Should().BeEquivalentTo(before with { Uri = "uri-1" }, o => o.ComparingRecordsByMembers().Excluding(a => a.LastUpdateTime));
    }

    /// <summary>PutArtifacts updates only state when mask is state.</summary>
    [Fact]
    public async Task PutArtifacts_updates_only_state_when_mask_is_state()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (type, id) = await StoreFullArtifactAsync(store);
        var before = await store.GetArtifactAsync(id);

        await store.PutArtifactAsync(new Artifact { Id = id, TypeId = type.Id, State = ArtifactState.Live, Uri = "ignored" }, Mask("state"));

        var stored = await store.GetArtifactAsync(id);
        stored.Should().BeEquivalentTo(before with { State = ArtifactState.Live }, o => o.ComparingRecordsByMembers().Excluding(a => a.LastUpdateTime));
    }

    /// <summary>PutArtifacts clears external id when masked and absent.</summary>
    [Fact]
    public async Task PutArtifacts_clears_external_id_when_masked_and_absent()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (type, id) = await StoreFullArtifactAsync(store);

        await store.PutArtifactAsync(new Artifact { Id = id, TypeId = type.Id }, Mask("external_id"));

        var stored = await store.GetArtifactAsync(id);
        stored.ExternalId.Should().BeNull();
        stored.Uri.Should().Be("uri-0");
        stored.Properties.Should().HaveCount(2);
    }

    /// <summary>PutArtifacts sets external id when masked.</summary>
    [Fact]
    public async Task PutArtifacts_sets_external_id_when_masked()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (type, id) = await StoreFullArtifactAsync(store);

        await store.PutArtifactAsync(new Artifact { Id = id, TypeId = type.Id, ExternalId = "ext-1" }, Mask("external_id"));

        (await store.GetArtifactAsync(id)).ExternalId.Should().Be("ext-1");
        (await store.GetArtifactsByExternalIdAsync(["ext-0"])).Should().BeEmpty();
    }

    /// <summary>PutExecutions updates only state when mask is last known state.</summary>
    [Fact]
    public async Task PutExecutions_updates_only_state_when_mask_is_last_known_state()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddExecutionTypeAsync(("p", PropertyKind.Int));
        var id = await store.PutSingleExecutionAsync((Execution.Of(type.StoredId, ExecutionState.Running) with { ExternalId = "x" }).With("p", 1));

        await store.PutSingleExecutionAsync(new Execution { Id = id, TypeId = type.Id, LastKnownState = ExecutionState.Complete }, Mask("last_known_state"));

        var stored = await store.GetExecutionAsync(id);
        stored.LastKnownState.Should().Be(ExecutionState.Complete);
        stored.ExternalId.Should().Be("x");
        stored.Properties["p"].IntValue.Should().Be(1);
    }

    /// <summary>PutContexts updates only name when mask is name.</summary>
    [Fact]
    public async Task PutContexts_updates_only_name_when_mask_is_name()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddContextTypeAsync(("p", PropertyKind.Int));
        var id = await store.PutContextAsync(Context.Of(type.StoredId, "old").With("p", 3));

        await store.PutContextAsync(Context.Of(type.StoredId, "new") with { Id = id }, Mask("name"));

        var stored = await store.GetContextAsync(id);
        stored.Name.Should().Be("new");
        stored.Properties["p"].IntValue.Should().Be(3);
    }

    /// <summary>PutContexts keeps name when mask leaves it out.</summary>
    [Fact]
    public async Task PutContexts_keeps_name_when_mask_leaves_it_out()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddContextTypeAsync();
        var id = await store.PutContextAsync(Context.Of(type.StoredId, "keep"));

        await store.PutContextAsync((Context.Of(type.StoredId, "other") with { Id = id }).WithCustom("k", 1), Mask("custom_properties"));

        var stored = await store.GetContextAsync(id);
        stored.Name.Should().Be("keep");
        stored.CustomProperties["k"].IntValue.Should().Be(1);
    }

    /// <summary>PutArtifacts upserts one property when mask names it.</summary>
    [Fact]
    public async Task PutArtifacts_upserts_one_property_when_mask_names_it()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (type, id) = await StoreFullArtifactAsync(store);

        await store.PutArtifactAsync(new Artifact { Id = id, TypeId = type.Id }.With("p1", 10).With("p2", "ignored"), Mask("properties.p1"));

        var stored = await store.GetArtifactAsync(id);
        stored.Properties.Should().BeEquivalentTo(new Dictionary<string, PropertyValue> { ["p1"] = 10, ["p2"] = "two" });
        stored.CustomProperties.Should().HaveCount(2);
        stored.Uri.Should().Be("uri-0");
    }

    /// <summary>PutArtifacts deletes one property when mask names it and request lacks it.</summary>
    [Fact]
    public async Task PutArtifacts_deletes_one_property_when_mask_names_it_and_request_lacks_it()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (type, id) = await StoreFullArtifactAsync(store);

        await store.PutArtifactAsync(new Artifact { Id = id, TypeId = type.Id }, Mask("properties.p2"));

        (await store.GetArtifactAsync(id)).Properties.Keys.Should().BeEquivalentTo(["p1"]);
    }

    /// <summary>PutArtifacts upserts and deletes custom properties named by the mask.</summary>
    [Fact]
    public async Task PutArtifacts_upserts_and_deletes_custom_properties_named_by_the_mask()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (type, id) = await StoreFullArtifactAsync(store);

        await store.PutArtifactAsync(new Artifact { Id = id, TypeId = type.Id }.WithCustom("c3", "new").WithCustom("c2", false), Mask("custom_properties.c1", "custom_properties.c3"));

        var stored = await store.GetArtifactAsync(id);
        stored.CustomProperties.Should().BeEquivalentTo(new Dictionary<string, PropertyValue> { ["c2"] = true, ["c3"] = "new" });
        stored.Properties.Should().HaveCount(2);
    }

    /// <summary>PutArtifacts replaces the whole property map when mask is properties.</summary>
    [Fact]
    public async Task PutArtifacts_replaces_the_whole_property_map_when_mask_is_properties()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (type, id) = await StoreFullArtifactAsync(store);

        await store.PutArtifactAsync(new Artifact { Id = id, TypeId = type.Id }.With("p2", "only"), Mask("properties", "properties.p1"));

        var stored = await store.GetArtifactAsync(id);
        stored.Properties.Should().BeEquivalentTo(new Dictionary<string, PropertyValue> { ["p2"] = "only" });
        stored.CustomProperties.Should().HaveCount(2);
    }

    /// <summary>PutArtifacts replaces the whole custom property map when mask is custom properties.</summary>
    [Fact]
    public async Task PutArtifacts_replaces_the_whole_custom_property_map_when_mask_is_custom_properties()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (type, id) = await StoreFullArtifactAsync(store);

        await store.PutArtifactAsync(new Artifact { Id = id, TypeId = type.Id }.WithCustom("z", 0), Mask("custom_properties"));

        var stored = await store.GetArtifactAsync(id);
        stored.CustomProperties.Keys.Should().BeEquivalentTo(["z"]);
        stored.Properties.Should().HaveCount(2);
    }

    /// <summary>PutArtifacts changes nothing when mask has only unknown paths.</summary>
    [Fact]
    public async Task PutArtifacts_changes_nothing_when_mask_has_only_unknown_paths()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (type, id) = await StoreFullArtifactAsync(store);
        var before = await store.GetArtifactAsync(id);

        await store.PutArtifactAsync(new Artifact { Id = id, TypeId = type.Id, Uri = "changed" }, Mask("no_such_field", "properties_x"));

        (await store.GetArtifactAsync(id)).Should().BeEquivalentTo(before, o => o.ComparingRecordsByMembers());
    }

    /// <summary>PutArtifacts ignores unknown paths next to known ones.</summary>
    [Fact]
    public async Task PutArtifacts_ignores_unknown_paths_next_to_known_ones()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (type, id) = await StoreFullArtifactAsync(store);

        await store.PutArtifactAsync(new Artifact { Id = id, TypeId = type.Id, Uri = "changed" }, Mask("bogus", "uri"));

        var stored = await store.GetArtifactAsync(id);
        stored.Uri.Should().Be("changed");
        stored.State.Should().Be(ArtifactState.Pending);
    }

    /// <summary>PutArtifacts ignores the mask for inserts.</summary>
    [Fact]
    public async Task PutArtifacts_ignores_the_mask_for_inserts()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (type, id) = await StoreFullArtifactAsync(store);

        var ids = await store.PutArtifactsAsync(
            [new Artifact { Id = id, TypeId = type.Id, Uri = "updated" }, (Artifact.Of(type.StoredId, "inserted") with { State = ArtifactState.Live, ExternalId = "ext-new" }).With("p1", 9).WithCustom("c", 1)],
            Mask("uri"));

        var inserted = await store.GetArtifactAsync(ids[1]);
        inserted.Uri.Should().Be("inserted");
        inserted.State.Should().Be(ArtifactState.Live);
        inserted.ExternalId.Should().Be("ext-new");
        inserted.Properties["p1"].IntValue.Should().Be(9);
        inserted.CustomProperties["c"].IntValue.Should().Be(1);
        (await store.GetArtifactAsync(id)).Uri.Should().Be("updated");
    }

    /// <summary>PutArtifacts validates only masked properties.</summary>
    [Fact]
    public async Task PutArtifacts_validates_only_masked_properties()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (type, id) = await StoreFullArtifactAsync(store);

        await store.PutArtifactAsync(new Artifact { Id = id, TypeId = type.Id, Uri = "u" }.With("undeclared", 1), Mask("uri"));

        var stored = await store.GetArtifactAsync(id);
        stored.Uri.Should().Be("u");
        stored.Properties.Keys.Should().BeEquivalentTo(["p1", "p2"]);
    }

    /// <summary>PutArtifacts throws InvalidArgument when a masked property has the wrong kind.</summary>
    [Fact]
    public async Task PutArtifacts_throws_InvalidArgument_when_a_masked_property_has_the_wrong_kind()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (type, id) = await StoreFullArtifactAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutArtifactsAsync([new Artifact { Id = id, TypeId = type.Id }.With("p1", "not an int")], Mask("properties.p1"));

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }
}
