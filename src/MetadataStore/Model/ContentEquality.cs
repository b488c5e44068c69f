using System.Text;

namespace MetadataStore;

/// <summary>Content comparison and printing of the maps and lists the model records hold, so records compare by what they hold.</summary>
internal static class ContentEquality
{
    public static bool MapEquals<TValue>(IReadOnlyDictionary<string, TValue>? left, IReadOnlyDictionary<string, TValue>? right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left is null || right is null || left.Count != right.Count)
        {
            return false;
        }

        var comparer = EqualityComparer<TValue>.Default;
        foreach (var (key, value) in left)
        {
            if (!right.TryGetValue(key, out var other) || !comparer.Equals(value, other))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Order-independent, as map equality is.</summary>
    public static int MapHash<TValue>(IReadOnlyDictionary<string, TValue>? map)
    {
        if (map is null)
        {
            return 0;
        }

        var hash = map.Count;
        foreach (var (key, value) in map)
        {
            hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), value);
        }

        return hash;
    }

    public static bool ListEquals<T>(IReadOnlyList<T>? left, IReadOnlyList<T>? right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left is null || right is null || left.Count != right.Count)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < left.Count; i++)
        {
            if (!comparer.Equals(left[i], right[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static int ListHash<T>(IReadOnlyList<T>? list)
    {
        if (list is null)
        {
            return 0;
        }

        var hash = new HashCode();
        hash.Add(list.Count);
        foreach (var item in list)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public static void PrintMap<TValue>(StringBuilder builder, IReadOnlyDictionary<string, TValue>? map)
    {
        if (map is null)
        {
            builder.Append("null");
            return;
        }

        builder.Append("{ ");
        var first = true;
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            builder.Append(first ? string.Empty : ", ").Append(key).Append(" = ").Append(value);
            first = false;
        }

        builder.Append(first ? "}" : " }");
    }

    public static void PrintList<T>(StringBuilder builder, IReadOnlyList<T>? list)
    {
        if (list is null)
        {
            builder.Append("null");
            return;
        }

        builder.Append("[ ").AppendJoin(", ", list).Append(list.Count == 0 ? "]" : " ]");
    }
}
