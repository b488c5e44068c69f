using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>Parent links between contexts: storage, cycles, duplicates and the batch queries.</summary>
public abstract class ParentContextConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    private static async Task<long[]> SeedAsync(IMetadataStore store, int count)
    {
        var type = await store.AddContextTypeAsync();
        return (await store.PutContextsAsync(Enumerable.Range(0, count).Select(i => Context.Of(type.StoredId, $"c{i}")).ToList())).ToArray();
    }

    /// <summary>PutParentContexts links parent and child.</summary>
    [Fact]
    public async Task PutParentContexts_links_parent_and_child()
    {
        await using var store = await factory.OpenEmptyAsync();
        var c = await SeedAsync(store, 3);

        await store.PutParentContextsAsync([new ParentContext(c[1], c[0]), new ParentContext(c[2], c[0])]);

        (await store.GetChildContextsAsync(c[0])).Select(x => x.StoredId).Should().Equal(c[1], c[2]);
        (await store.GetParentContextsAsync(c[1])).Select(x => x.StoredId).Should().Equal(c[0]);
        (await store.GetParentContextsAsync(c[0])).Should().BeEmpty();
        (await store.GetChildContextsAsync(c[1])).Should().BeEmpty();
    }

    /// <summary>GetParentContexts returns only direct parents.</summary>
    [Fact]
    public async Task GetParentContexts_returns_only_direct_parents()
    {
        await using var store = await factory.OpenEmptyAsync();
        var c = await SeedAsync(store, 3);

        await store.PutParentContextsAsync([new ParentContext(c[2], c[1]), new ParentContext(c[1], c[0])]);

        (await store.GetParentContextsAsync(c[2])).Select(x => x.StoredId).Should().Equal(c[1]);
        (await store.GetChildContextsAsync(c[0])).Select(x => x.StoredId).Should().Equal(c[1]);
    }

    /// <summary>PutParentContexts allows a diamond.</summary>
    [Fact]
    public async Task PutParentContexts_allows_a_diamond()
    {
        await using var store = await factory.OpenEmptyAsync();
        var c = await SeedAsync(store, 4);

        await store.PutParentContextsAsync([new ParentContext(c[1], c[0]), new ParentContext(c[2], c[0]), new ParentContext(c[3], c[1]), new ParentContext(c[3], c[2])]);

        (await store.GetParentContextsAsync(c[3])).Select(x => x.StoredId).Should().Equal(c[1], c[2]);
    }

    /// <summary>PutParentContexts throws InvalidArgument when context is its own parent.</summary>
    [Fact]
    public async Task PutParentContexts_throws_InvalidArgument_when_context_is_its_own_parent()
    {
        await using var store = await factory.OpenEmptyAsync();
        var c = await SeedAsync(store, 1);

        var act = () => store.PutParentContextsAsync([new ParentContext(c[0], c[0])]);

        (await act.ShouldFailWith(MetadataErrorCode.InvalidArgument)).Message.Should().ContainEquivalentOf("cycle");
        (await store.GetParentContextsAsync(c[0])).Should().BeEmpty();
    }

    /// <summary>PutParentContexts throws InvalidArgument when link closes a two cycle.</summary>
    [Fact]
    public async Task PutParentContexts_throws_InvalidArgument_when_link_closes_a_two_cycle()
    {
        await using var store = await factory.OpenEmptyAsync();
        var c = await SeedAsync(store, 2);
        await store.PutParentContextsAsync([new ParentContext(c[1], c[0])]);

        var act = () => store.PutParentContextsAsync([new ParentContext(c[0], c[1])]);

        (await act.ShouldFailWith(MetadataErrorCode.InvalidArgument)).Message.Should().ContainEquivalentOf("cycle");
        (await store.GetParentContextsAsync(c[0])).Should().BeEmpty();
    }

    /// <summary>PutParentContexts throws InvalidArgument when link closes a longer cycle.</summary>
    [Fact]
    public async Task PutParentContexts_throws_InvalidArgument_when_link_closes_a_longer_cycle()
    {
        await using var store = await factory.OpenEmptyAsync();
        var c = await SeedAsync(store, 4);
        await store.PutParentContextsAsync([new ParentContext(c[1], c[0]), new ParentContext(c[2], c[1]), new ParentContext(c[3], c[2])]);

        var act = () => store.PutParentContextsAsync([new ParentContext(c[0], c[3])]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        (await store.GetParentContextsAsync(c[0])).Should().BeEmpty();
    }

    /// <summary>PutParentContexts stores nothing when the batch itself forms a cycle.</summary>
    [Fact]
    public async Task PutParentContexts_stores_nothing_when_the_batch_itself_forms_a_cycle()
    {
        await using var store = await factory.OpenEmptyAsync();
        var c = await SeedAsync(store, 3);
        var before = await store.SnapshotAsync();

        var act = () => store.PutParentContextsAsync([new ParentContext(c[1], c[0]), new ParentContext(c[2], c[1]), new ParentContext(c[0], c[2])]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutParentContexts throws AlreadyExists when link is stored.</summary>
    [Fact]
    public async Task PutParentContexts_throws_AlreadyExists_when_link_is_stored()
    {
        await using var store = await factory.OpenEmptyAsync();
        var c = await SeedAsync(store, 2);
        await store.PutParentContextsAsync([new ParentContext(c[1], c[0])]);

        var act = () => store.PutParentContextsAsync([new ParentContext(c[1], c[0])]);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        (await store.GetParentContextsAsync(c[1])).Should().ContainSingle();
    }

    /// <summary>PutParentContexts stores nothing when one link is a duplicate.</summary>
    [Fact]
    public async Task PutParentContexts_stores_nothing_when_one_link_is_a_duplicate()
    {
        await using var store = await factory.OpenEmptyAsync();
        var c = await SeedAsync(store, 3);
        await store.PutParentContextsAsync([new ParentContext(c[1], c[0])]);
        var before = await store.SnapshotAsync();

        var act = () => store.PutParentContextsAsync([new ParentContext(c[2], c[0]), new ParentContext(c[1], c[0])]);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutParentContexts throws InvalidArgument when a context is unknown.</summary>
    [Fact]
    public async Task PutParentContexts_throws_InvalidArgument_when_a_context_is_unknown()
    {
        await using var store = await factory.OpenEmptyAsync();
        var c = await SeedAsync(store, 1);

        (await ((Func<Task>)(() => store.PutParentContextsAsync([new ParentContext(c[0], 424_242)]))).ShouldFailWith(MetadataErrorCode.InvalidArgument))
            .Message.Should().Contain("424242");
        await ((Func<Task>)(() => store.PutParentContextsAsync([new ParentContext(434_343, c[0])]))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
        (await store.GetChildContextsAsync(c[0])).Should().BeEmpty();
    }

    /// <summary>GetParentContextsByContexts maps each context with parents to its parents.</summary>
    [Fact]
    public async Task GetParentContextsByContexts_maps_each_context_with_parents_to_its_parents()
    {
        await using var store = await factory.OpenEmptyAsync();
        var c = await SeedAsync(store, 4);
        await store.PutParentContextsAsync([new ParentContext(c[2], c[0]), new ParentContext(c[2], c[1]), new ParentContext(c[3], c[2])]);

        var parents = await store.GetParentContextsByContextsAsync([c[0], c[2], c[3]]);

        parents.Keys.Should().BeEquivalentTo([c[2], c[3]]);
        parents[c[2]].Select(x => x.StoredId).Should().Equal(c[0], c[1]);
        parents[c[3]].Select(x => x.StoredId).Should().Equal(c[2]);
    }

    /// <summary>GetChildContextsByContexts maps each context with children to its children.</summary>
    [Fact]
    public async Task GetChildContextsByContexts_maps_each_context_with_children_to_its_children()
    {
        await using var store = await factory.OpenEmptyAsync();
        var c = await SeedAsync(store, 4);
        await store.PutParentContextsAsync([new ParentContext(c[1], c[0]), new ParentContext(c[2], c[0]), new ParentContext(c[3], c[1])]);

        var children = await store.GetChildContextsByContextsAsync([c[0], c[1], c[3]]);

        children.Keys.Should().BeEquivalentTo([c[0], c[1]]);
        children[c[0]].Select(x => x.StoredId).Should().Equal(c[1], c[2]);
        children[c[1]].Select(x => x.StoredId).Should().Equal(c[3]);
    }

    /// <summary>GetParentAndChildContextsByContexts return empty when no ids are given.</summary>
    [Fact]
    public async Task GetParentAndChildContextsByContexts_return_empty_when_no_ids_are_given()
    {
        await using var store = await factory.OpenEmptyAsync();

        (await store.GetParentContextsByContextsAsync([])).Should().BeEmpty();
        (await store.GetChildContextsByContextsAsync([])).Should().BeEmpty();
    }

    /// <summary>GetParentContextsByContexts returns empty map when no context has parents.</summary>
    [Fact]
    public async Task GetParentContextsByContexts_returns_empty_map_when_no_context_has_parents()
    {
        await using var store = await factory.OpenEmptyAsync();
        var c = await SeedAsync(store, 2);

        (await store.GetParentContextsByContextsAsync([c[0], c[1], 999_999])).Should().BeEmpty();
    }
}
