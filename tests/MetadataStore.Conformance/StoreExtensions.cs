using FluentAssertions;

namespace MetadataStore.Conformance;

/// <summary>Short forms of common setup and read steps, written only against the public API.</summary>
public static class StoreExtensions
{
    /// <summary>Stores a new artifact type and returns it with its id.</summary>
    public static async Task<ArtifactType> AddArtifactTypeAsync(this IMetadataStore store, params (string Name, PropertyKind Kind)[] properties)
    {
        var type = Some.ArtifactType(properties);
        return type with { Id = await store.PutArtifactTypeAsync(type) };
    }

    /// <summary>Stores a new execution type and returns it with its id.</summary>
    public static async Task<ExecutionType> AddExecutionTypeAsync(this IMetadataStore store, params (string Name, PropertyKind Kind)[] properties)
    {
        var type = Some.ExecutionType(properties);
        return type with { Id = await store.PutExecutionTypeAsync(type) };
    }

    /// <summary>Stores a new context type and returns it with its id.</summary>
    public static async Task<ContextType> AddContextTypeAsync(this IMetadataStore store, params (string Name, PropertyKind Kind)[] properties)
    {
        var type = Some.ContextType(properties);
        return type with { Id = await store.PutContextTypeAsync(type) };
    }

    /// <summary>Puts one artifact and returns its id.</summary>
    public static async Task<long> PutArtifactAsync(this IMetadataStore store, Artifact artifact, PutNodesOptions? options = null) =>
        (await store.PutArtifactsAsync([artifact], options)).Single();

    /// <summary>Puts one execution and returns its id.</summary>
    public static async Task<long> PutSingleExecutionAsync(this IMetadataStore store, Execution execution, PutNodesOptions? options = null) =>
        (await store.PutExecutionsAsync([execution], options)).Single();

    /// <summary>Puts one context and returns its id.</summary>
    public static async Task<long> PutContextAsync(this IMetadataStore store, Context context, PutNodesOptions? options = null) =>
        (await store.PutContextsAsync([context], options)).Single();

    /// <summary>Reads one artifact that must exist.</summary>
    public static async Task<Artifact> GetArtifactAsync(this IMetadataStore store, long id) =>
        (await store.GetArtifactsByIdAsync([id])).Should().ContainSingle().Subject;

    /// <summary>Reads one execution that must exist.</summary>
    public static async Task<Execution> GetExecutionAsync(this IMetadataStore store, long id) =>
        (await store.GetExecutionsByIdAsync([id])).Should().ContainSingle().Subject;

    /// <summary>Reads one context that must exist.</summary>
    public static async Task<Context> GetContextAsync(this IMetadataStore store, long id) =>
        (await store.GetContextsByIdAsync([id])).Should().ContainSingle().Subject;

    /// <summary>Every artifact, by id.</summary>
    public static async Task<IReadOnlyList<Artifact>> AllArtifactsAsync(this IMetadataStore store) =>
        (await store.ListArtifactsAsync(new NodeListOptions { PageSize = NodeListOptions.MaxPageSize })).Items;

    /// <summary>Every execution, by id.</summary>
    public static async Task<IReadOnlyList<Execution>> AllExecutionsAsync(this IMetadataStore store) =>
        (await store.ListExecutionsAsync(new NodeListOptions { PageSize = NodeListOptions.MaxPageSize })).Items;

    /// <summary>Every context, by id.</summary>
    public static async Task<IReadOnlyList<Context>> AllContextsAsync(this IMetadataStore store) =>
        (await store.ListContextsAsync(new NodeListOptions { PageSize = NodeListOptions.MaxPageSize })).Items;

    /// <summary>Asserts that a call fails with a <see cref="MetadataStoreException"/> of the given code.</summary>
    public static async Task<MetadataStoreException> ShouldFailWith(this Func<Task> act, MetadataErrorCode code)
    {
        var exception = (await act.Should().ThrowAsync<MetadataStoreException>()).Which;
        exception.ErrorCode.Should().Be(code, "the message was: {0}", exception.Message);
        return exception;
    }

    /// <summary>The store's ordinary content: types, nodes and edges reachable through the public API.</summary>
    public static async Task<StoreSnapshot> SnapshotAsync(this IMetadataStore store)
    {
        var artifacts = await store.AllArtifactsAsync();
        var executions = await store.AllExecutionsAsync();
        var contexts = await store.AllContextsAsync();
        var artifactIds = artifacts.Select(a => a.StoredId).ToArray();
        var executionIds = executions.Select(e => e.StoredId).ToArray();
        var events = executionIds.Length == 0 ? [] : await store.GetEventsByExecutionIdsAsync(executionIds);
        var attributions = new List<Attribution>();
        foreach (var id in artifactIds)
        {
            attributions.AddRange((await store.GetContextsByArtifactAsync(id)).Select(c => new Attribution(c.StoredId, id)));
        }

        var associations = new List<Association>();
        foreach (var id in executionIds)
        {
            associations.AddRange((await store.GetContextsByExecutionAsync(id)).Select(c => new Association(c.StoredId, id)));
        }

        var parents = new List<ParentContext>();
        foreach (var context in contexts)
        {
            parents.AddRange((await store.GetParentContextsAsync(context.StoredId)).Select(p => new ParentContext(context.StoredId, p.StoredId)));
        }

        return new StoreSnapshot(
            await store.GetArtifactTypesAsync(),
            await store.GetExecutionTypesAsync(),
            await store.GetContextTypesAsync(),
            artifacts,
            executions,
            contexts,
            events,
            attributions,
            associations,
            parents);
    }

    /// <summary>Asserts that the store holds exactly what the snapshot holds.</summary>
    public static async Task ShouldBeUnchangedSinceAsync(this IMetadataStore store, StoreSnapshot before)
    {
        var after = await store.SnapshotAsync();
        after.Should().BeEquivalentTo(before, o => o.ComparingRecordsByMembers().WithStrictOrdering());
    }
}

/// <summary>Everything the public API shows of a store, for checking that a failed call changed nothing.</summary>
public sealed record StoreSnapshot(
    IReadOnlyList<ArtifactType> ArtifactTypes,
    IReadOnlyList<ExecutionType> ExecutionTypes,
    IReadOnlyList<ContextType> ContextTypes,
    IReadOnlyList<Artifact> Artifacts,
    IReadOnlyList<Execution> Executions,
    IReadOnlyList<Context> Contexts,
    IReadOnlyList<Event> Events,
    IReadOnlyList<Attribution> Attributions,
    IReadOnlyList<Association> Associations,
    IReadOnlyList<ParentContext> ParentContexts);
