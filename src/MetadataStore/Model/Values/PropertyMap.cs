using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace MetadataStore;

/// <summary>
/// The read-only property map of a node read from the store: its entries in one array, in the order they were
/// read. A read of thousands of nodes builds one map per node, so the map is two objects instead of a dictionary's
/// four; a small map is searched in place, a large one indexes itself on first lookup.
/// </summary>
internal sealed class PropertyMap : IReadOnlyDictionary<string, PropertyValue>
{
    // Up to this many entries a linear search with ordinal comparison beats hashing the key.
    private const int LinearLimit = 8;

    private readonly KeyValuePair<string, PropertyValue>[] _entries;
    private Dictionary<string, int>? _index;

    /// <summary>Takes ownership of <paramref name="entries"/>, whose keys are distinct (ordinal).</summary>
    public PropertyMap(KeyValuePair<string, PropertyValue>[] entries) => _entries = entries;

    public int Count => _entries.Length;

    public PropertyValue this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The property '{key}' is not in the map.");

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    public IEnumerable<PropertyValue> Values => _entries.Select(e => e.Value);

    public bool ContainsKey(string key) => Find(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out PropertyValue value)
    {
        var at = Find(key);
        if (at < 0)
        {
            value = null;
            return false;
        }

        value = _entries[at].Value;
        return true;
    }

    public IEnumerator<KeyValuePair<string, PropertyValue>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, PropertyValue>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int Find(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var entries = _entries;
        if (entries.Length <= LinearLimit)
        {
            for (var i = 0; i < entries.Length; i++)
            {
                if (string.Equals(entries[i].Key, key, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }

        var index = Volatile.Read(ref _index);
        if (index is null)
        {
            index = new Dictionary<string, int>(entries.Length, StringComparer.Ordinal);
            for (var i = 0; i < entries.Length; i++)
            {
                index[entries[i].Key] = i;
            }

            // Benign race: two readers may each build an index; both are equal. Published once filled.
            Volatile.Write(ref _index, index);
        }

        return index.TryGetValue(key, out var found) ? found : -1;
    }
}
