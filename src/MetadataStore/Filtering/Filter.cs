using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using MetadataStore.Query;

namespace MetadataStore.Filtering;

/// <summary>
/// A filter condition built in code, the typed form of a filter query string. Combine conditions with
/// <c>&amp;</c>, <c>|</c> and <c>!</c>; start from the fields below. A filter converts implicitly to its query
/// text, so it can be given wherever a filter string is expected:
/// <code>
/// var options = new NodeListOptions
/// {
///     Filter = Filter.Type == "Model" &amp; Filter.Property("accuracy").DoubleValue &gt; 0.9 &amp; Filter.Context("run").Name == "exp-1",
/// };
/// </code>
/// Names are checked when the filter is used by a listing, against the kind of node listed.
/// </summary>
public sealed class Filter
{
    internal Filter(FilterSyntax syntax)
    {
        Syntax = CheckSize(syntax);
    }

    internal FilterSyntax Syntax { get; }

    /// <summary>The node id.</summary>
    public static FilterNumber Id => FilterNumber.Field("id");

    /// <summary>The id of the node's type.</summary>
    public static FilterNumber TypeId => FilterNumber.Field("type_id");

    /// <summary>The name of the node's type (any version).</summary>
    public static FilterText Type => FilterText.Field("type");

    /// <summary>The node name.</summary>
    public static FilterText Name => FilterText.Field("name");

    /// <summary>The node's external id.</summary>
    public static FilterText ExternalId => FilterText.Field("external_id");

    /// <summary>The creation time, in milliseconds since the Unix epoch.</summary>
    public static FilterNumber CreateTime => FilterNumber.Field("create_time_since_epoch");

    /// <summary>The last update time, in milliseconds since the Unix epoch.</summary>
    public static FilterNumber LastUpdateTime => FilterNumber.Field("last_update_time_since_epoch");

    /// <summary>The artifact URI (artifact listings only).</summary>
    public static FilterText Uri => FilterText.Field("uri");

    /// <summary>The artifact state (artifact listings only).</summary>
    public static FilterEnum<ArtifactState> State => new(["state"]);

    /// <summary>The execution's last known state (execution listings only).</summary>
    public static FilterEnum<ExecutionState> LastKnownState => new(["last_known_state"]);

    /// <summary>A property of the node's type; a node without it reads NULL.</summary>
    /// <param name="name">The property name; any characters except a back-quote.</param>
    public static FilterProperty Property(string name) => new("properties", name);

    /// <summary>A custom property of the node; a node without it reads NULL.</summary>
    /// <param name="name">The property name; any characters except a back-quote.</param>
    public static FilterProperty CustomProperty(string name) => new("custom_properties", name);

    /// <summary>A context of the listed artifact or execution (<c>contexts_ALIAS</c>). Each distinct alias is a separate context.</summary>
    /// <param name="alias">Letters, digits and underscores.</param>
    public static FilterNeighbor Context(string alias) => new("contexts_", alias);

    /// <summary>An artifact attributed to the listed context (<c>artifacts_ALIAS</c>).</summary>
    /// <param name="alias">Letters, digits and underscores.</param>
    public static FilterNeighbor Artifact(string alias) => new("artifacts_", alias);

    /// <summary>An execution associated with the listed context (<c>executions_ALIAS</c>).</summary>
    /// <param name="alias">Letters, digits and underscores.</param>
    public static FilterNeighbor Execution(string alias) => new("executions_", alias);

    /// <summary>A parent of the listed context (<c>parent_contexts_ALIAS</c>).</summary>
    /// <param name="alias">Letters, digits and underscores.</param>
    public static FilterNeighbor ParentContext(string alias) => new("parent_contexts_", alias);

    /// <summary>A child of the listed context (<c>child_contexts_ALIAS</c>).</summary>
    /// <param name="alias">Letters, digits and underscores.</param>
    public static FilterNeighbor ChildContext(string alias) => new("child_contexts_", alias);

    /// <summary>An event of the listed artifact or execution (<c>events_ALIAS</c>).</summary>
    /// <param name="alias">Letters, digits and underscores.</param>
    public static FilterEvent Event(string alias) => new(alias);

    /// <summary>Parses a filter query string (syntax only; names are checked by the listing that uses it).</summary>
    /// <param name="query">The query text.</param>
    /// <returns>The parsed filter.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument, naming the position and what was expected.</exception>
    public static Filter Parse(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new Filter(FilterParser.Parse(query));
    }

    /// <summary>Both conditions hold.</summary>
    public static Filter operator &(Filter left, Filter right) => And(left, right);

    /// <summary>Either condition holds.</summary>
    public static Filter operator |(Filter left, Filter right) => Or(left, right);

    /// <summary>The condition does not hold (NULL stays NULL, as in SQL).</summary>
    public static Filter operator !(Filter filter) => Not(filter);

    /// <summary>Both conditions hold.</summary>
    /// <param name="left">The first condition.</param>
    /// <param name="right">The second condition.</param>
    /// <returns>The conjunction.</returns>
    public static Filter And(Filter left, Filter right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new Filter(new BinarySyntax(BinaryOp.And, Filter.SyntaxOf(left), Filter.SyntaxOf(right), 0));
    }

    /// <summary>Either condition holds.</summary>
    /// <param name="left">The first condition.</param>
    /// <param name="right">The second condition.</param>
    /// <returns>The disjunction.</returns>
    public static Filter Or(Filter left, Filter right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new Filter(new BinarySyntax(BinaryOp.Or, Filter.SyntaxOf(left), Filter.SyntaxOf(right), 0));
    }

    /// <summary>The condition does not hold.</summary>
    /// <param name="filter">The condition.</param>
    /// <returns>The negation.</returns>
    public static Filter Not(Filter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new Filter(new UnarySyntax(UnaryOp.Not, filter.Syntax, 0));
    }

    /// <summary>The filter's query text, in canonical form (every operation parenthesised, chains of one operator kept flat).</summary>
    /// <param name="filter">The filter, or null.</param>
    [return: NotNullIfNotNull(nameof(filter))]
    public static implicit operator string?(Filter? filter) => filter?.ToString();

    /// <summary>The filter's query text, in canonical form (every operation parenthesised, chains of one operator kept flat); parsing it gives the same filter.</summary>
    /// <returns>The query text.</returns>
    public override string ToString() => FilterPrinter.Print(Syntax);

    internal static void RequirePlainName(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The {what} \"{name}\" must be letters, digits and underscores only.");
        }
    }

    /// <summary>Holds built trees to the parser's size limit, which also bounds the recursion that prints them.</summary>
    internal static FilterSyntax CheckSize(FilterSyntax syntax) => syntax.Size <= FilterParser.MaxNodes
        ? syntax
        : throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"A filter may have at most {FilterParser.MaxNodesText}.");

    // A null operand is the caller's bug, reported at once like every null argument of the library.
    internal static FilterSyntax SyntaxOf(Filter? operand, [CallerArgumentExpression(nameof(operand))] string? name = null) =>
        (operand ?? throw new ArgumentNullException(name)).Syntax;

    internal static FilterSyntax SyntaxOf(FilterNumber? operand, [CallerArgumentExpression(nameof(operand))] string? name = null) =>
        (operand ?? throw new ArgumentNullException(name)).Syntax;

    internal static FilterSyntax SyntaxOf(FilterText? operand, [CallerArgumentExpression(nameof(operand))] string? name = null) =>
        (operand ?? throw new ArgumentNullException(name)).Syntax;

    internal static FilterSyntax SyntaxOf(FilterBool? operand, [CallerArgumentExpression(nameof(operand))] string? name = null) =>
        (operand ?? throw new ArgumentNullException(name)).Syntax;

    internal static FilterSyntax SyntaxOf<TEnum>(FilterEnum<TEnum>? operand, [CallerArgumentExpression(nameof(operand))] string? name = null)
        where TEnum : struct, Enum =>
        (operand ?? throw new ArgumentNullException(name)).Syntax;

    internal static T[] NotNull<T>(T[]? values, [CallerArgumentExpression(nameof(values))] string? name = null) =>
        values ?? throw new ArgumentNullException(name);

    internal static FilterSyntax Path(params string[] segments) => new PathSyntax(segments, 0);

    internal static Filter Compare(BinaryOp op, FilterSyntax left, FilterSyntax right) => new(new BinarySyntax(op, left, right, 0));
}
