using System.Text;

namespace MetadataStore.Storage.Relational;

/// <summary>
/// Builds one SELECT statement from parts: a base table with an alias, joins, AND-ed predicates, ordering and a
/// limit. Values are never spliced into the text: <see cref="Bind"/> numbers a parameter and keeps its value, so
/// the same shape of query always yields the same text (and can reuse a prepared statement).
/// </summary>
internal sealed class SqlBuilder(SqlDialect dialect)
{
    private readonly StringBuilder _joins = new();
    private readonly StringBuilder _where = new();
    private readonly List<object?> _values = [];
    private string _select = string.Empty;
    private string _from = string.Empty;
    private string _orderBy = string.Empty;
    private string? _limit;

    /// <summary>The bound values, in parameter order (<c>$1</c>, <c>$2</c>, ...).</summary>
    public IReadOnlyList<object?> Values => _values;

    /// <summary>Adds a parameter holding <paramref name="value"/> and returns its marker for use in SQL text.</summary>
    public string Bind(object? value)
    {
        _values.Add(value);
        return dialect.Parameter(_values.Count);
    }

    public SqlBuilder Select(string columns)
    {
        _select = columns;
        return this;
    }

    /// <summary>The base table and its alias, such as <c>"Artifact" AS n</c>.</summary>
    public SqlBuilder From(string tableWithAlias)
    {
        _from = tableWithAlias;
        return this;
    }

    /// <summary>Adds a join clause.</summary>
    public SqlBuilder Join(string clause)
    {
        _joins.Append('\n').Append(clause);
        return this;
    }

    /// <summary>Adds a predicate; all predicates are AND-ed.</summary>
    public SqlBuilder Where(string predicate)
    {
        _where.Append(_where.Length == 0 ? "\nWHERE " : "\n  AND ").Append('(').Append(predicate).Append(')');
        return this;
    }

    public SqlBuilder OrderBy(string orderBy)
    {
        _orderBy = orderBy;
        return this;
    }

    public SqlBuilder Limit(int limit)
    {
        _limit = Bind((long)limit);
        return this;
    }

    public string Build()
    {
        var sql = new StringBuilder(256)
            .Append("SELECT ").Append(_select)
            .Append("\nFROM ").Append(_from)
            .Append(_joins)
            .Append(_where);
        if (_orderBy.Length > 0)
        {
            sql.Append("\nORDER BY ").Append(_orderBy);
        }

        if (_limit is not null)
        {
            sql.Append("\nLIMIT ").Append(_limit);
        }

        return sql.ToString();
    }
}
