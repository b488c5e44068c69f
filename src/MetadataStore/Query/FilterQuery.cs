using MetadataStore.Storage;

namespace MetadataStore.Query;

/// <summary>A filter parsed and resolved once for one node kind, ready to render for any dialect.</summary>
internal sealed class FilterQuery
{
    private FilterQuery(NodeKind kind, string normalizedText, Bound bound)
    {
        Kind = kind;
        NormalizedText = normalizedText;
        Bound = bound;
    }

    public NodeKind Kind { get; }

    /// <summary>The canonical text of the filter (see <see cref="FilterPrinter"/>); page tokens carry its hash.</summary>
    public string NormalizedText { get; }

    public Bound Bound { get; }

    /// <summary>Parses and resolves <paramref name="text"/> for nodes of <paramref name="kind"/>; throws InvalidArgument.</summary>
    public static FilterQuery Compile(string text, NodeKind kind) => Compile(FilterParser.Parse(text), kind);

    /// <summary>Resolves an already parsed (or built) filter for nodes of <paramref name="kind"/>; throws InvalidArgument.</summary>
    public static FilterQuery Compile(FilterSyntax syntax, NodeKind kind) =>
        new(kind, FilterPrinter.Print(syntax), FilterResolver.Resolve(syntax, kind));

    /// <summary>Renders the filter as a condition on the node table aliased <paramref name="nodeAlias"/>.</summary>
    public FilterSql ToSql(IFilterDialect dialect, string nodeAlias = "n", string parameterPrefix = "fq") =>
        FilterSqlGenerator.Generate(Bound, Kind, dialect, nodeAlias, parameterPrefix);

    /// <summary>Renders the filter, binding each value through <paramref name="bind"/> (which returns the placeholder to use).</summary>
    public FilterSql ToSql(IFilterDialect dialect, Func<object?, string> bind, string nodeAlias, FilterRenderOptions? options = null) =>
        FilterSqlGenerator.Generate(Bound, Kind, dialect, nodeAlias, "fq", bind, options);
}
