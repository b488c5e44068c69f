namespace MetadataStore.Query;

/// <summary>
/// PostgreSQL rendering, for a PostgreSQL backend. Its LIKE is already case-sensitive; <c>ESCAPE ''</c> turns off
/// the default backslash escape so patterns mean the same as on SQLite. MLMD's PostgreSQL tables are created with
/// unquoted names, which the generator's unquoted names match.
/// </summary>
internal sealed class PostgreSqlFilterDialect : IFilterDialect
{
    public static PostgreSqlFilterDialect Instance { get; } = new();

    public string Parameter(string name) => "@" + name;

    public object Bool(bool value) => value;

    public string Like(string operand, string patternParameter, bool negated) =>
        $"{operand} {(negated ? "NOT LIKE" : "LIKE")} {patternParameter} ESCAPE ''";

    public object LikePattern(string pattern) => pattern;

    // PostgreSQL raises an error on division by zero; the language says NULL.
    public string Divide(string left, string right) => $"(CAST({left} AS DOUBLE PRECISION) / NULLIF({right}, 0))";
}
