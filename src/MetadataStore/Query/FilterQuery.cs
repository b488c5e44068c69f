using System.Diagnostics.CodeAnalysis;

namespace MetadataStore.Query;

/// <summary>
/// A filter parsed and resolved once for one node kind. The relational engine renders it as SQL for its dialect;
/// its resolved form is not public yet.
/// </summary>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public sealed class FilterQuery
{
    private FilterQuery(NodeKind kind, string normalizedText, Bound bound)
    {
        Kind = kind;
        NormalizedText = normalizedText;
        Bound = bound;
    }

    /// <summary>The kind of node the filter was resolved for.</summary>
    public NodeKind Kind { get; }

    /// <summary>The canonical text of the filter; page tokens carry its hash.</summary>
    public string NormalizedText { get; }

    internal Bound Bound { get; }

    /// <summary>Parses and resolves <paramref name="text"/> for nodes of <paramref name="kind"/>; throws InvalidArgument.</summary>
    internal static FilterQuery Compile(string text, NodeKind kind) => Compile(FilterParser.Parse(text), kind);

    /// <summary>Resolves an already parsed (or built) filter for nodes of <paramref name="kind"/>; throws InvalidArgument.</summary>
    internal static FilterQuery Compile(FilterSyntax syntax, NodeKind kind) =>
        new(kind, FilterPrinter.Print(syntax), FilterResolver.Resolve(syntax, kind));
}
