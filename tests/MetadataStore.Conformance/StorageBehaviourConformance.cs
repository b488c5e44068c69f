using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>
/// What a storage backend must get right beneath the API, whatever its SQL: lists of ids longer than any statement
/// chunk or parameter limit, keyset pages whose order column ties, and property values that change kind.
/// </summary>
public abstract class StorageBehaviourConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>More ids than any backend puts into one statement.</summary>
    private const int Many = 2_500;

    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    /// <summary>Reads by ids return every node once in id order when ids exceed any chunk.</summary>
    [Fact]
    public async Task Reads_by_ids_return_every_node_once_in_id_order_when_ids_exceed_any_chunk()
    {
        await using var store = await factory.OpenEmptyAsync();
        var artifactType = await store.AddArtifactTypeAsync(("i", PropertyKind.Int));
        var executionType = await store.AddExecutionTypeAsync();
        var contextType = await store.AddContextTypeAsync();
        var artifacts = await store.PutArtifactsAsync(Enumerable.Range(0, Many).Select(i => Artifact.Of(artifactType.StoredId, $"file:///a/{i}", $"a{i}").With("i", i) with { ExternalId = $"ext-{i}" }).ToList());
        var executions = await store.PutExecutionsAsync(Enumerable.Range(0, Many).Select(i => Execution.Of(executionType.StoredId, name: $"e{i}")).ToList());
        var contexts = await store.PutContextsAsync(Enumerable.Range(0, Many).Select(i => Context.Of(contextType.StoredId, $"c{i}")).ToList());
        var unknown = Math.Max(artifacts.Max(), Math.Max(executions.Max(), contexts.Max())) + 1_000;

        // Reversed, with repeats and an id no node has.
        IReadOnlyCollection<long> Wanted(IReadOnlyList<long> ids) => [.. ids.Reverse(), .. ids.Take(10), unknown];

        var read = await store.GetArtifactsByIdAsync(Wanted(artifacts));
        read.Select(a => a.StoredId).Should().Equal(artifacts);
        read.Should().OnlyContain(a => a.TypeName == artifactType.Name && a.Properties.Count == 1);
        read.Select(a => (long)a.Properties["i"].IntValue!).Should().Equal(Enumerable.Range(0, Many).Select(i => (long)i));
        (await store.GetArtifactsWithTypesByIdAsync(Wanted(artifacts))).Select(a => a.Artifact.StoredId).Should().Equal(artifacts);
        (await store.GetExecutionsByIdAsync(Wanted(executions))).Select(e => e.StoredId).Should().Equal(executions);
        (await store.GetContextsByIdAsync(Wanted(contexts))).Select(c => c.StoredId).Should().Equal(contexts);
        (await store.GetArtifactsByExternalIdAsync([.. Enumerable.Range(0, Many).Select(i => $"ext-{i}"), "ext-0", "ext-none"]))
            .Select(a => a.StoredId).Should().BeEquivalentTo(artifacts);
        (await store.GetArtifactsByUriAsync([.. Enumerable.Range(0, Many).Select(i => $"file:///a/{i}"), "file:///none"]))
            .Select(a => a.StoredId).Should().BeEquivalentTo(artifacts);
    }

    /// <summary>Edge reads by ids return every edge once when ids exceed any chunk.</summary>
    [Fact]
    public async Task Edge_reads_by_ids_return_every_edge_once_when_ids_exceed_any_chunk()
    {
        await using var store = await factory.OpenEmptyAsync();
        var artifactType = await store.AddArtifactTypeAsync();
        var executionType = await store.AddExecutionTypeAsync();
        var contextType = await store.AddContextTypeAsync();
        var artifacts = await store.PutArtifactsAsync(Enumerable.Range(0, Many).Select(i => Artifact.Of(artifactType.StoredId, $"file:///a/{i}")).ToList());
        var executions = await store.PutExecutionsAsync(Enumerable.Range(0, Many).Select(_ => Execution.Of(executionType.StoredId)).ToList());
        var root = await store.PutContextAsync(Context.Of(contextType.StoredId, "root"));
        var children = await store.PutContextsAsync(Enumerable.Range(0, Many).Select(i => Context.Of(contextType.StoredId, $"c{i}")).ToList());
        await store.PutEventsAsync(Enumerable.Range(0, Many).Select(i => Event.Of(EventType.Output, artifacts[i], executions[i])).ToList());
        await store.PutParentContextsAsync(children.Select(c => new ParentContext(c, root)).ToList());

        var byExecution = await store.GetEventsByExecutionIdsAsync([.. executions.Reverse(), executions[0]]);
        byExecution.Select(e => (e.ArtifactId!.Value, e.ExecutionId!.Value)).Should().BeEquivalentTo(artifacts.Zip(executions));
        var byArtifact = await store.GetEventsByArtifactIdsAsync([.. artifacts.Reverse(), artifacts[0]]);
        byArtifact.Should().HaveCount(Many);
        byArtifact.Select(e => e.ArtifactId!.Value).Should().BeEquivalentTo(artifacts);

        var parents = await store.GetParentContextsByContextsAsync(children);
        parents.Should().HaveCount(Many);
        parents.Values.Should().OnlyContain(p => p.Count == 1 && p[0].StoredId == root);
        var childrenOfRoot = await store.GetChildContextsByContextsAsync([root, .. children]);
        childrenOfRoot.Keys.Should().Equal(root);
        childrenOfRoot[root].Select(c => c.StoredId).Should().BeEquivalentTo(children);
    }

    /// <summary>Listing pages through every row in order when order values tie.</summary>
    [Theory]
    [InlineData(NodeOrder.Id, false)]
    [InlineData(NodeOrder.Id, true)]
    [InlineData(NodeOrder.CreateTime, false)]
    [InlineData(NodeOrder.CreateTime, true)]
    [InlineData(NodeOrder.LastUpdateTime, false)]
    [InlineData(NodeOrder.LastUpdateTime, true)]
    public async Task Listing_pages_through_every_row_in_order_when_order_values_tie(NodeOrder orderBy, bool descending)
    {
        var clock = new ManualClock();
        await using var store = await factory.OpenEmptyAsync(clock);
        var paged = await store.AddArtifactTypeAsync();
        var other = await store.AddArtifactTypeAsync();
        var start = clock.GetUtcNow();
        var ids = new List<long>();
        for (var i = 0; i < 23; i++)
        {
            // Creation times tie in threes and run against id order, so the tie-break on id matters.
            clock.Advance(start.AddMilliseconds(100 - (i / 3)) - clock.GetUtcNow());
            ids.Add(await store.PutArtifactAsync(Artifact.Of(paged.StoredId, $"file:///p/{i}")));
            await store.PutArtifactAsync(Artifact.Of(other.StoredId, $"file:///o/{i}"));
        }

        for (var i = 0; i < ids.Count; i++)
        {
            // Update times tie in fours, in another pattern again.
            clock.Advance(start.AddMilliseconds(200 + (i % 4)) - clock.GetUtcNow());
            await store.PutArtifactsAsync([Artifact.Of(paged.StoredId, $"file:///p/{i}/moved") with { Id = ids[i] }]);
        }

        var stored = await store.GetArtifactsByIdAsync(ids);
        Func<Artifact, DateTimeOffset> key = orderBy switch
        {
            NodeOrder.CreateTime => a => a.CreateTime!.Value,
            NodeOrder.LastUpdateTime => a => a.LastUpdateTime!.Value,
            _ => a => DateTimeOffset.MinValue,
        };
        stored.Select(key).Distinct().Count().Should().BeLessThan(ids.Count, "the order values must tie for this test to mean anything");
        var expected = (descending
            ? stored.OrderByDescending(key).ThenByDescending(a => a.StoredId)
            : stored.OrderBy(key).ThenBy(a => a.StoredId)).Select(a => a.StoredId).ToList();

        var seen = new List<long>();
        string? token = null;
        do
        {
            var page = await store.ListArtifactsByTypeAsync(paged.Name, options: new NodeListOptions { PageSize = 5, OrderBy = orderBy, Descending = descending, PageToken = token });
            page.Items.Count.Should().BeLessThanOrEqualTo(5);
            seen.AddRange(page.Items.Select(a => a.StoredId));
            token = page.NextPageToken;
        }
        while (token is not null);

        seen.Should().Equal(expected);
    }

    /// <summary>A property that changes kind keeps only its new value.</summary>
    [Fact]
    public async Task A_property_that_changes_kind_keeps_only_its_new_value()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId, "file:///x").WithCustom("x", 5));

        await store.PutArtifactsAsync([Artifact.Of(type.StoredId, "file:///x").WithCustom("x", "five") with { Id = id }]);

        (await store.GetArtifactAsync(id)).CustomProperties["x"].Should().Be((PropertyValue)"five");
        (await store.ListArtifactsAsync(new NodeListOptions { Filter = "custom_properties.x.string_value = 'five'" })).Items.Select(a => a.StoredId).Should().Equal(id);
        (await store.ListArtifactsAsync(new NodeListOptions { Filter = "custom_properties.x.int_value IS NOT NULL" })).Items.Should().BeEmpty();

        await store.PutArtifactsAsync([Artifact.Of(type.StoredId, "file:///x") with { Id = id }]);

        (await store.GetArtifactAsync(id)).CustomProperties.Should().BeEmpty();
        (await store.ListArtifactsAsync(new NodeListOptions { Filter = "custom_properties.x.string_value IS NOT NULL" })).Items.Should().BeEmpty();
    }
}
