using FluentAssertions;
using MetadataStore.Semantics;
using MetadataStore.Storage.Sqlite;
using SQLitePCL;
using Xunit;

namespace MetadataStore.Tests.Storage;

/// <summary>A traversal runs inside the database: the statements it sends do not grow with the nodes it reaches.</summary>
public sealed class SqliteLineageStatementCountTest
{
    /// <summary>A store with a graph of <paramref name="width"/> parallel branches, each four hops deep, under one source artifact, in two contexts.</summary>
    private static async Task<(IMetadataStore Store, long Source)> WideGraphAsync(int width)
    {
        var store = await MetadataStoreBuilder.OpenInMemoryAsync();
        var artifactType = await store.PutArtifactTypeAsync(ArtifactType.Named("Data").WithProperty("rows", PropertyKind.Int));
        var executionType = await store.PutExecutionTypeAsync(ExecutionType.Named("Step"));
        var contextType = await store.PutContextTypeAsync(ContextType.Named("Run"));
        var source = (await store.PutArtifactsAsync([Artifact.Of(artifactType, "src").With("rows", 1)]))[0];
        var contexts = await store.PutContextsAsync([Context.Of(contextType, "r1"), Context.Of(contextType, "r2")]);
        var first = await store.PutExecutionsAsync(Enumerable.Range(0, width).Select(_ => Execution.Of(executionType)).ToList());
        var middle = await store.PutArtifactsAsync(Enumerable.Range(0, width).Select(i => Artifact.Of(artifactType, $"m{i}").With("rows", i)).ToList());
        var second = await store.PutExecutionsAsync(Enumerable.Range(0, width).Select(_ => Execution.Of(executionType)).ToList());
        var last = await store.PutArtifactsAsync(Enumerable.Range(0, width).Select(i => Artifact.Of(artifactType, $"l{i}").With("rows", i)).ToList());
        var events = new List<Event>();
        for (var i = 0; i < width; i++)
        {
            events.Add(Event.Of(EventType.Input, source, first[i]));
            events.Add(Event.Of(EventType.Output, middle[i], first[i]).WithPath("out", i));
            events.Add(Event.Of(EventType.Input, middle[i], second[i]));
            events.Add(Event.Of(EventType.Output, last[i], second[i]));
        }

        await store.PutEventsAsync(events);
        await store.PutAttributionsAndAssociationsAsync(
            middle.Concat(last).SelectMany(a => contexts.Select(c => new Attribution(c, a))).ToList(),
            first.Concat(second).SelectMany(e => contexts.Select(c => new Association(c, e))).ToList());
        return (store, source);
    }

    /// <summary>Counts the statements SQLite starts on the store's connection while <paramref name="work"/> runs.</summary>
    private static async Task<int> CountStatementsAsync(IMetadataStore store, Func<Task> work)
    {
        var backend = (SqliteBackend)((MetadataStoreEngine)store).Backend;
        var count = 0;
        raw.sqlite3_trace(backend.Connection.Handle, (strdelegate_trace)((_, _) => Interlocked.Increment(ref count)), null);
        try
        {
            await work();
        }
        finally
        {
            raw.sqlite3_trace(backend.Connection.Handle, (strdelegate_trace?)null, null);
        }

        return count;
    }

    [Fact]
    public async Task Statements_of_a_traversal_do_not_grow_with_the_graph()
    {
        var counts = new List<(int Nodes, int Impact, int Subgraph, int IdsOnly)>();
        foreach (var width in new[] { 10, 300, 3000 })
        {
            var (store, source) = await WideGraphAsync(width);
            await using var _ = store;
            LineageGraph? impact = null;
            var impactCount = await CountStatementsAsync(store, async () => impact = await store.GetImpactAsync(LineageNodeId.Artifact(source)));
            var subgraphCount = await CountStatementsAsync(store, () => store.GetLineageSubgraphAsync(new LineageSubgraphQuery { StartArtifacts = "name = 'src'" }));
            var idsCount = await CountStatementsAsync(store, () => store.GetLineageSubgraphAsync(new LineageSubgraphQuery { StartArtifacts = "name = 'src'", IdsOnly = true }));

            impact!.Nodes.Should().HaveCount((4 * width) + 1);
            impact.Artifacts.Should().AllSatisfy(a => a.Properties.Should().ContainKey("rows"));
            impact.Contexts.Should().HaveCount(2);
            impact.Events.Should().HaveCount(4 * width);
            counts.Add(((4 * width) + 1, impactCount, subgraphCount, idsCount));
        }

        counts.Select(c => c.Impact).Distinct().Should().ContainSingle("the hydrated impact of {0} nodes takes the same statements", counts.Last().Nodes);
        counts.Select(c => c.Subgraph).Distinct().Should().ContainSingle();
        counts.Select(c => c.IdsOnly).Distinct().Should().ContainSingle();
        counts[0].Impact.Should().BeLessThan(40, "a fixed number of statements (with the transaction's own) plus one per hop: four here, and one that finds nothing new");
    }

    [Fact]
    public async Task Statements_grow_with_the_hops_followed_not_the_nodes()
    {
        var (store, source) = await WideGraphAsync(50);
        await using var _ = store;
        var counts = new List<int>();
        foreach (var hops in new[] { 1, 2, 3, 4 })
        {
            counts.Add(await CountStatementsAsync(store, () => store.GetImpactAsync(LineageNodeId.Artifact(source), new LineageOptions { MaxHops = hops, IdsOnly = true })));
        }

        counts.Zip(counts.Skip(1), (a, b) => b - a).Should().AllBeEquivalentTo(1);
    }
}
