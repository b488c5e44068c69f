using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>Listings: page sizes, page tokens, every ordering, and listings by type and by context.</summary>
public abstract class ListingConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    private static async Task<(ArtifactType Type, IReadOnlyList<long> Ids)> SeedArtifactsAsync(IMetadataStore store, int count)
    {
        var type = await store.AddArtifactTypeAsync();
        var ids = await store.PutArtifactsAsync(Enumerable.Range(0, count).Select(i => Artifact.Of(type.StoredId, $"u{i}")).ToList());
        return (type, ids);
    }

    private static async Task<List<T>> ReadAllPagesAsync<T>(Func<NodeListOptions, Task<NodePage<T>>> list, NodeListOptions options)
    {
        var items = new List<T>();
        var page = await list(options);
        items.AddRange(page.Items);
        var guard = 0;
        while (page.NextPageToken is not null)
        {
            guard++.Should().BeLessThan(1000, "paging must end");
            page = await list(options with { PageToken = page.NextPageToken });
            items.AddRange(page.Items);
        }

        return items;
    }

    /// <summary>GetArtifacts returns an empty page without token when store is empty.</summary>
    [Fact]
    public async Task GetArtifacts_returns_an_empty_page_without_token_when_store_is_empty()
    {
        await using var store = await factory.OpenEmptyAsync();

        var page = await store.ListArtifactsAsync();

        page.Items.Should().BeEmpty();
        page.NextPageToken.Should().BeNull();
        (await store.ListExecutionsAsync()).Items.Should().BeEmpty();
        (await store.ListContextsAsync()).Items.Should().BeEmpty();
    }

    /// <summary>GetArtifacts orders by ascending id by default.</summary>
    [Fact]
    public async Task GetArtifacts_orders_by_ascending_id_by_default()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (_, ids) = await SeedArtifactsAsync(store, 5);

        (await store.ListArtifactsAsync()).Items.Select(a => a.StoredId).Should().Equal(ids.Order());
        (await store.ListArtifactsAsync(NodeListOptions.Default)).Items.Select(a => a.StoredId).Should().Equal(ids.Order());
    }

    /// <summary>GetArtifacts throws InvalidArgument when page size is out of range.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10_001)]
    [InlineData(int.MaxValue)]
    public async Task GetArtifacts_throws_InvalidArgument_when_page_size_is_out_of_range(int pageSize)
    {
        await using var store = await factory.OpenEmptyAsync();

        var act = () => store.ListArtifactsAsync(new NodeListOptions { PageSize = pageSize });

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
    }

    /// <summary>GetExecutions and GetContexts throw InvalidArgument when page size is zero.</summary>
    [Fact]
    public async Task GetExecutions_and_GetContexts_throw_InvalidArgument_when_page_size_is_zero()
    {
        await using var store = await factory.OpenEmptyAsync();

        await ((Func<Task>)(() => store.ListExecutionsAsync(new NodeListOptions { PageSize = 0 }))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await ((Func<Task>)(() => store.ListContextsAsync(new NodeListOptions { PageSize = 0 }))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
    }

    /// <summary>GetArtifacts accepts the largest page size.</summary>
    [Fact]
    public async Task GetArtifacts_accepts_the_largest_page_size()
    {
        await using var store = await factory.OpenEmptyAsync();
        await SeedArtifactsAsync(store, 3);

        var page = await store.ListArtifactsAsync(new NodeListOptions { PageSize = NodeListOptions.MaxPageSize });

        page.Items.Should().HaveCount(3);
        page.NextPageToken.Should().BeNull();
    }

    /// <summary>GetArtifacts returns a full page and a token when page size exceeds 101.</summary>
    [Fact]
    public async Task GetArtifacts_returns_a_full_page_and_a_token_when_page_size_exceeds_101()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (_, ids) = await SeedArtifactsAsync(store, 150);

        var first = await store.ListArtifactsAsync(new NodeListOptions { PageSize = 120 });

        first.Items.Should().HaveCount(120);
        first.NextPageToken.Should().NotBeNull();
        var second = await store.ListArtifactsAsync(new NodeListOptions { PageSize = 120, PageToken = first.NextPageToken });
        second.Items.Should().HaveCount(30);
        second.NextPageToken.Should().BeNull();
        first.Items.Concat(second.Items).Select(a => a.StoredId).Should().Equal(ids.Order());
    }

    /// <summary>GetArtifacts uses the default page size when options are null.</summary>
    [Fact]
    public async Task GetArtifacts_uses_the_default_page_size_when_options_are_null()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (_, ids) = await SeedArtifactsAsync(store, NodeListOptions.DefaultPageSize + 5);

        var first = await store.ListArtifactsAsync();
        var second = await store.ListArtifactsAsync(new NodeListOptions { PageToken = first.NextPageToken });

        first.Items.Should().HaveCount(NodeListOptions.DefaultPageSize);
        first.NextPageToken.Should().NotBeNull();
        second.Items.Should().HaveCount(5);
        first.Items.Concat(second.Items).Select(a => a.StoredId).Should().Equal(ids.Order());
    }

    /// <summary>GetArtifacts returns a token only while more rows exist.</summary>
    [Fact]
    public async Task GetArtifacts_returns_a_token_only_while_more_rows_exist()
    {
        await using var store = await factory.OpenEmptyAsync();
        await SeedArtifactsAsync(store, 4);

        var first = await store.ListArtifactsAsync(new NodeListOptions { PageSize = 2 });
        var second = await store.ListArtifactsAsync(new NodeListOptions { PageSize = 2, PageToken = first.NextPageToken });

        first.NextPageToken.Should().NotBeNull();
        first.HasMore.Should().BeTrue();
        second.Items.Should().HaveCount(2);
        second.NextPageToken.Should().BeNull();
    }

    /// <summary>GetArtifacts pages without skipping or repeating rows while rows are inserted.</summary>
    [Theory]
    [InlineData(NodeOrder.Id, false)]
    [InlineData(NodeOrder.Id, true)]
    [InlineData(NodeOrder.CreateTime, false)]
    [InlineData(NodeOrder.CreateTime, true)]
    [InlineData(NodeOrder.LastUpdateTime, false)]
    [InlineData(NodeOrder.LastUpdateTime, true)]
    public async Task GetArtifacts_pages_without_skipping_or_repeating_rows_while_rows_are_inserted(NodeOrder orderBy, bool descending)
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var original = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            original.Add(await store.PutArtifactAsync(Artifact.Of(type.StoredId, $"u{i}")));
        }

        var options = new NodeListOptions { PageSize = 2, OrderBy = orderBy, Descending = descending };
        var seen = new List<Artifact>();
        var page = await store.ListArtifactsAsync(options);
        seen.AddRange(page.Items);
        while (page.NextPageToken is not null)
        {
            seen.Count.Should().BeLessThan(100, "paging must end");
            await store.PutArtifactAsync(Artifact.Of(type.StoredId, "inserted while paging"));
            page = await store.ListArtifactsAsync(options with { PageToken = page.NextPageToken });
            seen.AddRange(page.Items);
        }

        var seenIds = seen.Select(a => a.StoredId).ToList();
        seenIds.Should().OnlyHaveUniqueItems();
        seenIds.Should().Contain(original);
        var keys = seen.Select(a => (Key: orderBy switch
        {
            NodeOrder.CreateTime => a.CreateTime!.Value.ToUnixTimeMilliseconds(),
            NodeOrder.LastUpdateTime => a.LastUpdateTime!.Value.ToUnixTimeMilliseconds(),
            _ => a.StoredId,
        }, Id: a.StoredId)).ToList();
        var sorted = descending ? keys.OrderByDescending(k => k.Key).ThenByDescending(k => k.Id).ToList() : keys.OrderBy(k => k.Key).ThenBy(k => k.Id).ToList();
        keys.Should().Equal(sorted);
    }

    /// <summary>GetExecutions pages through every row in order.</summary>
    [Theory]
    [InlineData(NodeOrder.CreateTime, true)]
    [InlineData(NodeOrder.LastUpdateTime, false)]
    public async Task GetExecutions_pages_through_every_row_in_order(NodeOrder orderBy, bool descending)
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddExecutionTypeAsync();
        var ids = await store.PutExecutionsAsync(Enumerable.Range(0, 9).Select(_ => Execution.Of(type.StoredId)).ToList());

        var all = await ReadAllPagesAsync(o => store.ListExecutionsAsync(o), new NodeListOptions { PageSize = 4, OrderBy = orderBy, Descending = descending });

        all.Select(e => e.StoredId).Should().BeEquivalentTo(ids).And.OnlyHaveUniqueItems();
    }

    /// <summary>GetContexts pages by descending id.</summary>
    [Fact]
    public async Task GetContexts_pages_by_descending_id()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddContextTypeAsync();
        var ids = await store.PutContextsAsync(Enumerable.Range(0, 5).Select(i => Context.Of(type.StoredId, $"c{i}")).ToList());

        var all = await ReadAllPagesAsync(o => store.ListContextsAsync(o), new NodeListOptions { PageSize = 2, Descending = true });

        all.Select(c => c.StoredId).Should().Equal(ids.OrderDescending());
    }

    /// <summary>GetArtifacts orders by last update time after an update.</summary>
    [Fact]
    public async Task GetArtifacts_orders_by_last_update_time_after_an_update()
    {
        var clock = new ManualClock();
        await using var store = await factory.OpenEmptyAsync(clock);
        var (_, ids) = await SeedArtifactsAsync(store, 3);
        clock.Advance();
        var first = await store.GetArtifactAsync(ids[0]);
        await store.PutArtifactAsync(first with { State = ArtifactState.Live });

        var page = await store.ListArtifactsAsync(new NodeListOptions { OrderBy = NodeOrder.LastUpdateTime, Descending = true });

        page.Items[0].Id.Should().Be(ids[0]);
    }

    /// <summary>GetArtifacts throws InvalidArgument when token came from another ordering.</summary>
    [Theory]
    [InlineData(NodeOrder.CreateTime, false)]
    [InlineData(NodeOrder.Id, true)]
    [InlineData(NodeOrder.LastUpdateTime, false)]
    public async Task GetArtifacts_throws_InvalidArgument_when_token_came_from_another_ordering(NodeOrder orderBy, bool descending)
    {
        await using var store = await factory.OpenEmptyAsync();
        await SeedArtifactsAsync(store, 4);
        var first = await store.ListArtifactsAsync(new NodeListOptions { PageSize = 2 });

        var act = () => store.ListArtifactsAsync(new NodeListOptions { PageSize = 2, OrderBy = orderBy, Descending = descending, PageToken = first.NextPageToken });

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
    }

    /// <summary>GetArtifacts throws InvalidArgument when token is garbage.</summary>
    [Theory]
    [InlineData("garbage")]
    [InlineData("!!!not base64!!!")]
    [InlineData("AAAA")]
    [InlineData("eyJ4IjoxfQ")]
    public async Task GetArtifacts_throws_InvalidArgument_when_token_is_garbage(string token)
    {
        await using var store = await factory.OpenEmptyAsync();
        await SeedArtifactsAsync(store, 2);

        var act = () => store.ListArtifactsAsync(new NodeListOptions { PageSize = 1, PageToken = token });

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
    }

    /// <summary>GetArtifactsByType pages through the artifacts of the type only.</summary>
    [Fact]
    public async Task GetArtifactsByType_pages_through_the_artifacts_of_the_type_only()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (type, ids) = await SeedArtifactsAsync(store, 5);
        await SeedArtifactsAsync(store, 3);

        var all = await ReadAllPagesAsync(o => store.ListArtifactsByTypeAsync(type.Name, null, o), new NodeListOptions { PageSize = 2 });

        all.Select(a => a.StoredId).Should().Equal(ids.Order());
        all.Should().OnlyContain(a => a.TypeId == type.Id);
    }

    /// <summary>GetArtifactsByType returns an empty page when type is unknown.</summary>
    [Fact]
    public async Task GetArtifactsByType_returns_an_empty_page_when_type_is_unknown()
    {
        await using var store = await factory.OpenEmptyAsync();
        await SeedArtifactsAsync(store, 2);

        var page = await store.ListArtifactsByTypeAsync(Some.TypeName());

        page.Items.Should().BeEmpty();
        page.NextPageToken.Should().BeNull();
        (await store.ListExecutionsByTypeAsync(Some.TypeName())).Items.Should().BeEmpty();
        (await store.ListContextsByTypeAsync(Some.TypeName())).Items.Should().BeEmpty();
    }

    /// <summary>GetArtifactsByType separates type versions.</summary>
    [Fact]
    public async Task GetArtifactsByType_separates_type_versions()
    {
        await using var store = await factory.OpenEmptyAsync();
        var name = Some.TypeName();
        var unversioned = await store.PutArtifactTypeAsync(ArtifactType.Named(name));
        var versioned = await store.PutArtifactTypeAsync(ArtifactType.Named(name, "2"));
        var a = await store.PutArtifactAsync(Artifact.Of(unversioned));
        var b = await store.PutArtifactAsync(Artifact.Of(versioned));

        (await store.ListArtifactsByTypeAsync(name)).Items.Select(x => x.Id).Should().Equal(a);
        (await store.ListArtifactsByTypeAsync(name, "2")).Items.Select(x => x.Id).Should().Equal(b);
    }

    /// <summary>GetExecutionsByType and GetContextsByType page with tokens.</summary>
    [Fact]
    public async Task GetExecutionsByType_and_GetContextsByType_page_with_tokens()
    {
        await using var store = await factory.OpenEmptyAsync();
        var executionType = await store.AddExecutionTypeAsync();
        var contextType = await store.AddContextTypeAsync();
        var executionIds = await store.PutExecutionsAsync(Enumerable.Range(0, 3).Select(_ => Execution.Of(executionType.StoredId)).ToList());
        var contextIds = await store.PutContextsAsync(Enumerable.Range(0, 3).Select(i => Context.Of(contextType.StoredId, $"c{i}")).ToList());

        (await ReadAllPagesAsync(o => store.ListExecutionsByTypeAsync(executionType.Name, null, o), new NodeListOptions { PageSize = 2, Descending = true }))
            .Select(e => e.StoredId).Should().Equal(executionIds.OrderDescending());
        (await ReadAllPagesAsync(o => store.ListContextsByTypeAsync(contextType.Name, null, o), new NodeListOptions { PageSize = 1 }))
            .Select(c => c.StoredId).Should().Equal(contextIds.Order());
    }

    /// <summary>GetArtifactsByContext pages through the attributed artifacts.</summary>
    [Fact]
    public async Task GetArtifactsByContext_pages_through_the_attributed_artifacts()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (_, ids) = await SeedArtifactsAsync(store, 6);
        var contextType = await store.AddContextTypeAsync();
        var contextId = await store.PutContextAsync(Context.Of(contextType.StoredId, "c"));
        var attributed = ids.Where((_, i) => i % 2 == 0).ToList();
        await store.PutAttributionsAndAssociationsAsync(attributed.Select(id => new Attribution(contextId, id)).ToList(), []);

        var all = await ReadAllPagesAsync(o => store.ListArtifactsByContextAsync(contextId, o), new NodeListOptions { PageSize = 2 });

        all.Select(a => a.StoredId).Should().Equal(attributed.Order());
    }

    /// <summary>GetExecutionsByContext pages by descending create time.</summary>
    [Fact]
    public async Task GetExecutionsByContext_pages_by_descending_create_time()
    {
        await using var store = await factory.OpenEmptyAsync();
        var executionType = await store.AddExecutionTypeAsync();
        var contextType = await store.AddContextTypeAsync();
        var ids = await store.PutExecutionsAsync(Enumerable.Range(0, 5).Select(_ => Execution.Of(executionType.StoredId)).ToList());
        var contextId = await store.PutContextAsync(Context.Of(contextType.StoredId, "c"));
        await store.PutAttributionsAndAssociationsAsync([], ids.Select(id => new Association(contextId, id)).ToList());

        var all = await ReadAllPagesAsync(o => store.ListExecutionsByContextAsync(contextId, o), new NodeListOptions { PageSize = 2, OrderBy = NodeOrder.CreateTime, Descending = true });

        all.Select(e => e.StoredId).Should().BeEquivalentTo(ids).And.OnlyHaveUniqueItems();
        all.Select(e => e.CreateTime).Should().BeInDescendingOrder();
    }

    /// <summary>GetArtifactsByContext throws InvalidArgument when page size is out of range.</summary>
    [Fact]
    public async Task GetArtifactsByContext_throws_InvalidArgument_when_page_size_is_out_of_range()
    {
        await using var store = await factory.OpenEmptyAsync();
        var contextType = await store.AddContextTypeAsync();
        var contextId = await store.PutContextAsync(Context.Of(contextType.StoredId, "c"));

        var act = () => store.ListArtifactsByContextAsync(contextId, new NodeListOptions { PageSize = NodeListOptions.MaxPageSize + 1 });

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
    }
}
