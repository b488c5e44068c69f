namespace MetadataStore.Storage;

/// <summary>
/// The one-by-one forms of the batch methods of <see cref="IStorageTransaction"/>: its default implementations, and what
/// a backend falls back to where it has nothing faster.
/// </summary>
internal static class StorageTransactionDefaults
{
    /// <summary>Reads the nodes, then the properties of those found.</summary>
    public static async ValueTask<IReadOnlyList<NodeRecord>> GetNodesWithPropertiesAsync(IStorageTransaction tx, NodeKind kind, NodeQuery query, IPropertyRowSink properties, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var nodes = await tx.GetNodesAsync(kind, query, cancellationToken).ConfigureAwait(false);
        if (nodes.Count == 0)
        {
            return nodes;
        }

        var ids = new long[nodes.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = nodes[i].Id;
        }

        await tx.GetPropertiesAsync(kind, ids, properties, cancellationToken).ConfigureAwait(false);
        return nodes;
    }

    /// <summary>Reads the property records, then hands them over one by one.</summary>
    public static async ValueTask GetPropertiesAsync(IStorageTransaction tx, NodeKind kind, IReadOnlyCollection<long> nodeIds, IPropertyRowSink properties, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(properties);
        foreach (var record in await tx.GetPropertiesAsync(kind, nodeIds, cancellationToken).ConfigureAwait(false))
        {
            properties.Add(record.NodeId, record.Name, record.IsCustom, record.Value);
        }
    }

    /// <summary>Inserts the events one by one.</summary>
    public static async ValueTask InsertEventsAsync(IStorageTransaction tx, IReadOnlyList<EventRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            await tx.InsertEventAsync(record, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Inserts the attributions one by one.</summary>
    public static async ValueTask InsertAttributionsAsync(IStorageTransaction tx, long contextId, IReadOnlyList<long> artifactIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifactIds);
        foreach (var artifactId in artifactIds)
        {
            await tx.InsertAttributionAsync(contextId, artifactId, cancellationToken).ConfigureAwait(false);
        }
    }
}
