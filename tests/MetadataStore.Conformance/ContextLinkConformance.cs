using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>Attributions (artifact in context) and associations (execution in context).</summary>
public abstract class ContextLinkConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    private static async Task<(long Artifact, long Execution, long[] Contexts)> SeedAsync(IMetadataStore store, int contexts = 2)
    {
        var artifactType = await store.AddArtifactTypeAsync();
        var executionType = await store.AddExecutionTypeAsync();
        var contextType = await store.AddContextTypeAsync();
        var artifact = await store.PutArtifactAsync(Artifact.Of(artifactType.StoredId));
        var execution = await store.PutSingleExecutionAsync(Execution.Of(executionType.StoredId));
        var contextIds = await store.PutContextsAsync(Enumerable.Range(0, contexts).Select(i => Context.Of(contextType.StoredId, $"c{i}")).ToList());
        return (artifact, execution, contextIds.ToArray());
    }

    /// <summary>PutAttributionsAndAssociations links nodes both ways.</summary>
    [Fact]
    public async Task PutAttributionsAndAssociations_links_nodes_both_ways()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e, c) = await SeedAsync(store);

        await store.PutAttributionsAndAssociationsAsync([new Attribution(c[0], a), new Attribution(c[1], a)], [new Association(c[1], e)]);

        (await store.GetContextsByArtifactAsync(a)).Select(x => x.StoredId).Should().Equal(c[0], c[1]);
        (await store.GetContextsByExecutionAsync(e)).Select(x => x.StoredId).Should().Equal(c[1]);
        (await store.ListArtifactsByContextAsync(c[0])).Items.Select(x => x.Id).Should().Equal(a);
        (await store.ListExecutionsByContextAsync(c[1])).Items.Select(x => x.Id).Should().Equal(e);
        (await store.ListExecutionsByContextAsync(c[0])).Items.Should().BeEmpty();
    }

    /// <summary>PutAttributionsAndAssociations succeeds when pairs are already stored.</summary>
    [Fact]
    public async Task PutAttributionsAndAssociations_succeeds_when_pairs_are_already_stored()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e, c) = await SeedAsync(store, 1);
        await store.PutAttributionsAndAssociationsAsync([new Attribution(c[0], a)], [new Association(c[0], e)]);

        await store.PutAttributionsAndAssociationsAsync([new Attribution(c[0], a)], [new Association(c[0], e)]);

        (await store.GetContextsByArtifactAsync(a)).Should().ContainSingle();
        (await store.ListExecutionsByContextAsync(c[0])).Items.Should().ContainSingle();
    }

    /// <summary>PutAttributionsAndAssociations succeeds when a call repeats a pair.</summary>
    [Fact]
    public async Task PutAttributionsAndAssociations_succeeds_when_a_call_repeats_a_pair()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e, c) = await SeedAsync(store, 1);

        await store.PutAttributionsAndAssociationsAsync([new Attribution(c[0], a), new Attribution(c[0], a)], [new Association(c[0], e), new Association(c[0], e)]);

        (await store.ListArtifactsByContextAsync(c[0])).Items.Should().ContainSingle();
        (await store.GetContextsByExecutionAsync(e)).Should().ContainSingle();
    }

    /// <summary>PutAttributionsAndAssociations throws InvalidArgument when artifact is unknown.</summary>
    [Fact]
    public async Task PutAttributionsAndAssociations_throws_InvalidArgument_when_artifact_is_unknown()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e, c) = await SeedAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutAttributionsAndAssociationsAsync([new Attribution(c[0], a), new Attribution(c[1], 55_555)], [new Association(c[0], e)]);

        (await act.ShouldFailWith(MetadataErrorCode.InvalidArgument)).Message.Should().Contain("55555");
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutAttributionsAndAssociations throws InvalidArgument when execution is unknown.</summary>
    [Fact]
    public async Task PutAttributionsAndAssociations_throws_InvalidArgument_when_execution_is_unknown()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, _, c) = await SeedAsync(store);
        var before = await store.SnapshotAsync();

        var act = () => store.PutAttributionsAndAssociationsAsync([new Attribution(c[0], a)], [new Association(c[0], 66_666)]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutAttributionsAndAssociations throws InvalidArgument when context is unknown.</summary>
    [Fact]
    public async Task PutAttributionsAndAssociations_throws_InvalidArgument_when_context_is_unknown()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e, c) = await SeedAsync(store);
        var before = await store.SnapshotAsync();

        await ((Func<Task>)(() => store.PutAttributionsAndAssociationsAsync([new Attribution(77_777, a)], []))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await ((Func<Task>)(() => store.PutAttributionsAndAssociationsAsync([new Attribution(c[0], a)], [new Association(77_777, e)]))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>GetContextsByArtifact and ByExecution return empty lists when unlinked.</summary>
    [Fact]
    public async Task GetContextsByArtifact_and_ByExecution_return_empty_lists_when_unlinked()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e, _) = await SeedAsync(store);

        (await store.GetContextsByArtifactAsync(a)).Should().BeEmpty();
        (await store.GetContextsByExecutionAsync(e)).Should().BeEmpty();
        (await store.GetContextsByArtifactAsync(999_999)).Should().BeEmpty();
    }

    /// <summary>GetArtifactsByContext returns empty page when context is unknown or empty.</summary>
    [Fact]
    public async Task GetArtifactsByContext_returns_empty_page_when_context_is_unknown_or_empty()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (_, _, c) = await SeedAsync(store, 1);

        var empty = await store.ListArtifactsByContextAsync(c[0]);
        empty.Items.Should().BeEmpty();
        empty.NextPageToken.Should().BeNull();
        (await store.ListArtifactsByContextAsync(999_999)).Items.Should().BeEmpty();
        (await store.ListExecutionsByContextAsync(999_999)).Items.Should().BeEmpty();
    }

    /// <summary>GetArtifactsByContext returns only direct attributions.</summary>
    [Fact]
    public async Task GetArtifactsByContext_returns_only_direct_attributions()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, e, c) = await SeedAsync(store);
        await store.PutParentContextsAsync([new ParentContext(c[1], c[0])]);

        await store.PutAttributionsAndAssociationsAsync([new Attribution(c[1], a)], [new Association(c[1], e)]);

        (await store.ListArtifactsByContextAsync(c[0])).Items.Should().BeEmpty();
        (await store.ListExecutionsByContextAsync(c[0])).Items.Should().BeEmpty();
        (await store.ListArtifactsByContextAsync(c[1])).Items.Should().ContainSingle();
    }

    /// <summary>GetContextsByArtifact returns contexts by id.</summary>
    [Fact]
    public async Task GetContextsByArtifact_returns_contexts_by_id()
    {
        await using var store = await factory.OpenEmptyAsync();
        var (a, _, c) = await SeedAsync(store, 3);

        await store.PutAttributionsAndAssociationsAsync([new Attribution(c[2], a), new Attribution(c[0], a), new Attribution(c[1], a)], []);

        (await store.GetContextsByArtifactAsync(a)).Select(x => x.StoredId).Should().Equal(c.Order());
    }
}
