using System.Security.Cryptography;
using System.Text;
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

    /// <summary>The canonical text of the filter (see <see cref="FilterPrinter"/>).</summary>
    public string NormalizedText { get; }

    public Bound Bound { get; }

    /// <summary>Parses and resolves <paramref name="text"/> for nodes of <paramref name="kind"/>; throws InvalidArgument.</summary>
    public static FilterQuery Compile(string text, NodeKind kind) => Compile(FilterParser.Parse(text), kind);

    /// <summary>Resolves an already parsed (or built) filter for nodes of <paramref name="kind"/>; throws InvalidArgument.</summary>
    public static FilterQuery Compile(FilterSyntax syntax, NodeKind kind) =>
        new(kind, FilterPrinter.Print(syntax), FilterResolver.Resolve(syntax, kind));

    /// <summary>A short hash of a filter's canonical text (empty filter: 0), for binding page tokens to their filter.</summary>
    public static ulong HashOf(string? normalizedText)
    {
        if (string.IsNullOrEmpty(normalizedText))
        {
            return 0;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(normalizedText), hash);
        return BitConverter.ToUInt64(hash[..8]);
    }

    /// <summary>Renders the filter as a condition on the node table aliased <paramref name="nodeAlias"/>.</summary>
    public FilterSql ToSql(IFilterDialect dialect, string nodeAlias = "n", string parameterPrefix = "fq") =>
        FilterSqlGenerator.Generate(Bound, Kind, dialect, nodeAlias, parameterPrefix);
}
