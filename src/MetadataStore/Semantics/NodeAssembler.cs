using System.Buffers;
using System.Runtime.CompilerServices;
using MetadataStore.Storage;

namespace MetadataStore.Semantics;

/// <summary>
/// Builds model nodes from node rows and the property rows a backend hands over one by one. Each value is decoded as
/// it arrives and kept in a pooled buffer until the nodes are built; the only objects a read leaves behind are the
/// nodes, their values and one array per property map. Dispose returns the buffers.
/// </summary>
internal sealed class NodeAssembler(NodeKind kind) : IPropertyRowSink, IDisposable
{
    private Row[] _rows = [];
    private int _count;

    public void Add(long nodeId, string name, bool isCustom, in StoredValue value)
    {
        var decoded = PropertyCodec.FromStored(value, name, kind, nodeId);
        if (_count == _rows.Length)
        {
            Grow();
        }

        _rows[_count++] = new Row(nodeId, isCustom, KeyValuePair.Create(name, decoded));
    }

    /// <summary>Builds the nodes of <paramref name="records"/>, in their order, with the properties received so far.</summary>
    // Runs a few times per process over thousands of rows: compiled optimized at once, not tiered up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public T[] Build<T>(IReadOnlyList<NodeRecord> records)
        where T : MetadataNode
    {
        var n = records.Count;
        var result = new T[n];
        if (n == 0)
        {
            return result;
        }

        var ids = ArrayPool<long>.Shared.Rent(n);
        var counts = ArrayPool<int>.Shared.Rent(2 * n);
        var maps = ArrayPool<KeyValuePair<string, PropertyValue>[]?>.Shared.Rent(2 * n);
        try
        {
            var sorted = true;
            for (var i = 0; i < n; i++)
            {
                ids[i] = records[i].Id;
                sorted &= i == 0 || ids[i] > ids[i - 1];
            }

            // The node a row belongs to: a binary search when the rows come ordered by id (reads by id), else a
            // dictionary (listing pages in time order).
            var index = sorted ? null : IndexOf(ids, n);
            Array.Clear(counts, 0, 2 * n);
            var last = 0;
            for (var r = 0; r < _count; r++)
            {
                ref var row = ref _rows[r];
                row.Node = last = Find(ids, n, index, row.NodeId, last);
                if (row.Node >= 0)
                {
                    counts[(2 * row.Node) + (row.IsCustom ? 1 : 0)]++;
                }
            }

            for (var m = 0; m < 2 * n; m++)
            {
                maps[m] = counts[m] == 0 ? null : new KeyValuePair<string, PropertyValue>[counts[m]];
                counts[m] = 0;
            }

            for (var r = 0; r < _count; r++)
            {
                ref var row = ref _rows[r];
                if (row.Node >= 0)
                {
                    var m = (2 * row.Node) + (row.IsCustom ? 1 : 0);
                    maps[m]![counts[m]++] = row.Entry;
                }
            }

            for (var i = 0; i < n; i++)
            {
                result[i] = (T)Mapping.ToModel(kind, records[i], Map(maps[2 * i]), Map(maps[(2 * i) + 1]));
            }

            return result;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(ids);
            ArrayPool<int>.Shared.Return(counts);
            ArrayPool<KeyValuePair<string, PropertyValue>[]?>.Shared.Return(maps, clearArray: true);
        }
    }

    public void Dispose()
    {
        if (_rows.Length > 0)
        {
            // Clear what was used so the pool holds no names or values.
            Array.Clear(_rows, 0, _count);
            ArrayPool<Row>.Shared.Return(_rows);
            _rows = [];
            _count = 0;
        }
    }

    private static IReadOnlyDictionary<string, PropertyValue> Map(KeyValuePair<string, PropertyValue>[]? entries) =>
        entries is null ? MetadataNode.EmptyValues : new PropertyMap(entries);

    private static Dictionary<long, int> IndexOf(long[] ids, int n)
    {
        var index = new Dictionary<long, int>(n);
        for (var i = 0; i < n; i++)
        {
            index.TryAdd(ids[i], i);
        }

        return index;
    }

    private static int Find(long[] ids, int n, Dictionary<long, int>? index, long id, int last)
    {
        if (index is not null)
        {
            return index.TryGetValue(id, out var at) ? at : -1;
        }

        // Rows usually arrive grouped by node and in the table's order: try where the last row was, and the next node.
        if (last >= 0 && ids[last] == id)
        {
            return last;
        }

        if (last + 1 < n && ids[last + 1] == id)
        {
            return last + 1;
        }

        var found = Array.BinarySearch(ids, 0, n, id);
        return found >= 0 ? found : -1;
    }

    private void Grow()
    {
        var grown = ArrayPool<Row>.Shared.Rent(Math.Max(256, _rows.Length * 2));
        if (_rows.Length > 0)
        {
            Array.Copy(_rows, grown, _count);
            Array.Clear(_rows, 0, _count);
            ArrayPool<Row>.Shared.Return(_rows);
        }

        _rows = grown;
    }

    private struct Row(long nodeId, bool isCustom, KeyValuePair<string, PropertyValue> entry)
    {
        public readonly long NodeId = nodeId;
        public readonly bool IsCustom = isCustom;
        public readonly KeyValuePair<string, PropertyValue> Entry = entry;

        /// <summary>The index of the node row, once known; -1 for a row of no node asked for.</summary>
        public int Node;
    }
}
