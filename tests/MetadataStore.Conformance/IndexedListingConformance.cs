using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>
/// The listing shapes a backend may read straight from an index (a property equality, a type name, a state, a
/// context's members, a type in time order) give the same rows, once each and in order, in every ordering and
/// direction, across pages.
/// </summary>
public abstract class IndexedListingConformance(IStoreFactory factory) : IAsyncLifetime, IDisposable
{
    private static readonly (NodeOrder Order, bool Descending)[] Orders =
    [
        (NodeOrder.Id, false), (NodeOrder.Id, true), (NodeOrder.CreateTime, false), (NodeOrder.CreateTime, true),
        (NodeOrder.LastUpdateTime, false), (NodeOrder.LastUpdateTime, true),
    ];

    private IMetadataStore _store = null!;
    private List<Artifact> _artifacts = [];
    private long _context;
    private string _typeName = string.Empty;
    private long _versioned;

    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    /// <summary>Stores the nodes the listings are checked against.</summary>
    /// <returns>A task that ends when the data is stored.</returns>
    public async Task InitializeAsync()
    {
        _store = await factory.OpenEmptyAsync();
        _typeName = Some.TypeName();
        long unversioned = await _store.PutArtifactTypeAsync(ArtifactType.Named(_typeName).WithProperty("shard", PropertyKind.Int).WithProperty("split", PropertyKind.String));
        long versioned = _versioned = await _store.PutArtifactTypeAsync(ArtifactType.Named(_typeName, "2").WithProperty("shard", PropertyKind.Int));
        long other = await _store.PutArtifactTypeAsync(ArtifactType.Named(Some.TypeName()).WithProperty("shard", PropertyKind.Int));
        long contextType = await _store.PutContextTypeAsync(ContextType.Named(Some.TypeName()));
        _context = await _store.PutContextAsync(Context.Of(contextType, "c"));

        // Several calls, so create times repeat within a call and differ between calls; ties are broken by id.
        for (int batch = 0; batch < 4; batch++)
        {
            var nodes = new List<Artifact>();
            for (int i = 0; i < 7; i++)
            {
                int n = (batch * 7) + i;
                long type = (n % 3) switch { 0 => unversioned, 1 => versioned, _ => other };
                Artifact artifact = Artifact.Of(type, $"file:///a/{n}").With("shard", n % 4) with { State = n % 5 == 0 ? ArtifactState.Deleted : ArtifactState.Live };
                if (type == unversioned)
                {
                    artifact = artifact.With("split", n % 2 == 0 ? "train" : "eval");
                }

                nodes.Add(n % 6 == 0 ? artifact.WithCustom("flag", true) : artifact);
            }

            await _store.PutArtifactsAsync(nodes);
            await Task.Delay(3);
        }

        _artifacts = [.. await _store.GetArtifactsByIdAsync(
            (await _store.ListArtifactsAsync(new NodeListOptions { PageSize = 100 })).Items.Select(a => a.Id!.Value).ToList())];

        // Touch a few, so the last update time orders differently from the create time.
        foreach (Artifact artifact in _artifacts.Where((_, i) => i % 4 == 1).Reverse())
        {
            await Task.Delay(2);
            await _store.PutArtifactsAsync([artifact with { Uri = artifact.Uri + "?v2" }]);
        }

        _artifacts = [.. await _store.GetArtifactsByIdAsync(_artifacts.Select(a => a.Id!.Value).ToList())];
        await _store.PutAttributionsAndAssociationsAsync(
            _artifacts.Where((_, i) => i % 3 != 1).Select(a => new Attribution(_context, a.Id!.Value)).ToList(), []);
    }

    /// <summary>Closes the store.</summary>
    /// <returns>A task that ends when the store is closed.</returns>
    public async Task DisposeAsync() => await _store.DisposeAsync();

    /// <summary>Listing pages every match once in order when filter has an indexed equality.</summary>
    [Theory]
    [InlineData("properties.shard.int_value = 2")]
    [InlineData("properties.shard.int_value = 1 AND state = LIVE")]
    [InlineData("properties.split.string_value = 'train' AND properties.shard.int_value != 0")]
    [InlineData("custom_properties.flag.bool_value = true")]
    [InlineData("2 = properties.shard.int_value OR properties.shard.int_value = 3")]
    [InlineData("state = DELETED")]
    [InlineData("type = 'TYPE'")]
    [InlineData("type IN ('TYPE', 'no such type')")]
    [InlineData("type = 'TYPE' AND properties.shard.int_value = 0")]
    public async Task Listing_pages_every_match_once_in_order_when_filter_has_an_indexed_equality(string filter)
    {
        filter = filter.Replace("TYPE", _typeName, StringComparison.Ordinal);
        var expected = _artifacts.Where(Matches(filter)).ToList();
        expected.Should().NotBeEmpty();
        foreach ((NodeOrder order, bool descending) in Orders)
        {
            List<Artifact> seen = await ReadAllAsync(o => _store.ListArtifactsAsync(o), new NodeListOptions { PageSize = 2, OrderBy = order, Descending = descending, Filter = filter });
            seen.Select(a => a.Id).Should().Equal(Sorted(expected, order, descending).Select(a => a.Id), because: $"{filter} by {order} {(descending ? "desc" : "asc")}");
        }
    }

    /// <summary>Listing is empty when type name is unknown.</summary>
    [Fact]
    public async Task Listing_is_empty_when_type_name_is_unknown()
    {
        (await _store.ListArtifactsAsync(new NodeListOptions { Filter = "type = 'no such type'" })).Items.Should().BeEmpty();
        (await _store.ListArtifactsAsync(new NodeListOptions { Filter = "type = 'no such type' OR properties.shard.int_value = 3" }))
            .Items.Select(a => a.Id).Should().Equal(_artifacts.Where(a => a.Properties["shard"].IntValue == 3).Select(a => a.Id));
    }

    /// <summary>Context listing pages every member once in every order.</summary>
    [Fact]
    public async Task Context_listing_pages_every_member_once_in_every_order()
    {
        var members = _artifacts.Where((_, i) => i % 3 != 1).ToList();
        foreach ((NodeOrder order, bool descending) in Orders)
        {
            List<Artifact> seen = await ReadAllAsync(o => _store.ListArtifactsByContextAsync(_context, o), new NodeListOptions { PageSize = 3, OrderBy = order, Descending = descending });
            seen.Select(a => a.Id).Should().Equal(Sorted(members, order, descending).Select(a => a.Id), because: $"by {order} {(descending ? "desc" : "asc")}");

            List<Artifact> filtered = await ReadAllAsync(o => _store.ListArtifactsByContextAsync(_context, o), new NodeListOptions { PageSize = 2, OrderBy = order, Descending = descending, Filter = "properties.shard.int_value = 1" });
            filtered.Select(a => a.Id).Should().Equal(Sorted(members.Where(a => a.Properties["shard"].IntValue == 1), order, descending).Select(a => a.Id));
        }
    }

    /// <summary>Type listing pages every node once in every order.</summary>
    [Fact]
    public async Task Type_listing_pages_every_node_once_in_every_order()
    {
        foreach ((NodeOrder order, bool descending) in Orders)
        {
            List<Artifact> seen = await ReadAllAsync(o => _store.ListArtifactsByTypeAsync(_typeName, "2", o), new NodeListOptions { PageSize = 2, OrderBy = order, Descending = descending });
            seen.Select(a => a.Id).Should().Equal(Sorted(_artifacts.Where(a => a.TypeId == _versioned), order, descending).Select(a => a.Id));
        }
    }

    private Func<Artifact, bool> Matches(string filter) => filter switch
    {
        "properties.shard.int_value = 2" => a => Shard(a) == 2,
        "properties.shard.int_value = 1 AND state = LIVE" => a => Shard(a) == 1 && a.State == ArtifactState.Live,
        "properties.split.string_value = 'train' AND properties.shard.int_value != 0" => a => a.Properties.TryGetValue("split", out var s) && s.StringValue == "train" && Shard(a) != 0,
        "custom_properties.flag.bool_value = true" => a => a.CustomProperties.ContainsKey("flag"),
        "2 = properties.shard.int_value OR properties.shard.int_value = 3" => a => Shard(a) is 2 or 3,
        "state = DELETED" => a => a.State == ArtifactState.Deleted,
        _ when filter.EndsWith("properties.shard.int_value = 0", StringComparison.Ordinal) => a => a.TypeName == _typeName && Shard(a) == 0,
        _ => a => a.TypeName == _typeName,
    };

    private static long Shard(Artifact artifact) => artifact.Properties["shard"].IntValue;

    private static IEnumerable<Artifact> Sorted(IEnumerable<Artifact> artifacts, NodeOrder order, bool descending)
    {
        Func<Artifact, long> key = order switch
        {
            NodeOrder.CreateTime => a => a.CreateTime!.Value.ToUnixTimeMilliseconds(),
            NodeOrder.LastUpdateTime => a => a.LastUpdateTime!.Value.ToUnixTimeMilliseconds(),
            _ => a => a.Id!.Value,
        };
        return descending
            ? artifacts.OrderByDescending(key).ThenByDescending(a => a.Id)
            : artifacts.OrderBy(key).ThenBy(a => a.Id);
    }

    private static async Task<List<Artifact>> ReadAllAsync(Func<NodeListOptions, Task<NodePage<Artifact>>> list, NodeListOptions options)
    {
        var items = new List<Artifact>();
        NodePage<Artifact> page = await list(options);
        items.AddRange(page.Items);
        int guard = 0;
        while (page.NextPageToken is not null)
        {
            guard++.Should().BeLessThan(100, "paging must end");
            page = await list(options with { PageToken = page.NextPageToken });
            items.AddRange(page.Items);
        }

        return items;
    }
}
