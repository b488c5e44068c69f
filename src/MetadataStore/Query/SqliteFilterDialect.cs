using System.Text;

namespace MetadataStore.Query;

/// <summary>
/// SQLite rendering. LIKE becomes GLOB: SQLite's LIKE is ASCII case-insensitive unless the connection-wide
/// <c>case_sensitive_like</c> pragma is set, while GLOB is always case-sensitive and, for a pattern with a fixed
/// prefix, can use an ordinary (BINARY) index such as <c>idx_artifact_uri</c>.
/// </summary>
internal sealed class SqliteFilterDialect : IFilterDialect
{
    public static SqliteFilterDialect Instance { get; } = new();

    public string Parameter(string name) => "@" + name;

    public object Bool(bool value) => value ? 1L : 0L;

    public string Like(string operand, string patternParameter, bool negated) =>
        negated ? $"{operand} NOT GLOB {patternParameter}" : $"{operand} GLOB {patternParameter}";

    /// <summary>Translates a LIKE pattern to GLOB: % to *, _ to ?, and GLOB's own wildcards *, ? and [ to one-character classes.</summary>
    public object LikePattern(string pattern)
    {
        var glob = new StringBuilder(pattern.Length + 8);
        foreach (char c in pattern)
        {
            glob.Append(c switch
            {
                '%' => "*",
                '_' => "?",
                '*' => "[*]",
                '?' => "[?]",
                '[' => "[[]",
                _ => c.ToString(),
            });
        }

        return glob.ToString();
    }

    // SQLite yields NULL on division by zero.
    public string Divide(string left, string right) => $"(CAST({left} AS REAL) / {right})";
}
