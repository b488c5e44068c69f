namespace MetadataStore.Query;

/// <summary>
/// What differs between SQL engines when a filter is rendered. Everything else (tables, joins, NULL logic) is shared
/// by <see cref="FilterSqlGenerator"/>.
/// </summary>
internal interface IFilterDialect
{
    /// <summary>Renders a placeholder for the parameter named <paramref name="name"/> (no prefix).</summary>
    string Parameter(string name);

    /// <summary>The value bound for a boolean literal compared with <c>bool_value</c>.</summary>
    object Bool(bool value);

    /// <summary>Renders <paramref name="operand"/> [NOT] LIKE the bound pattern with the language's meaning: case-sensitive, % and _ wildcards, no escape.</summary>
    string Like(string operand, string patternParameter, bool negated);

    /// <summary>The value bound for a LIKE pattern (the engine may need it translated).</summary>
    object LikePattern(string pattern);

    /// <summary>Renders <paramref name="left"/> / <paramref name="right"/> as a DOUBLE division; division by zero yields NULL.</summary>
    string Divide(string left, string right);
}
