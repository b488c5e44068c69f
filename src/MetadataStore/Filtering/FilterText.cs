using System.Runtime.CompilerServices;
using MetadataStore.Query;

namespace MetadataStore.Filtering;

/// <summary>A STRING value in a filter: a string field or a literal.</summary>
public sealed class FilterText
{
    internal FilterText(FilterSyntax syntax)
    {
        Syntax = syntax;
    }

    internal FilterSyntax Syntax { get; }

    internal static FilterText Field(params string[] segments) => new(Filter.Path(segments));

    /// <summary>A string literal.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator FilterText(string value) => FromString(value);

    /// <summary>A string literal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The literal.</returns>
    public static FilterText FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(new LiteralSyntax(LiteralKind.String, value, 0));
    }

    /// <summary>Equal (case-sensitive).</summary>
    public static Filter operator ==(FilterText left, FilterText right) => Filter.Compare(BinaryOp.Equal, Filter.SyntaxOf(left), Filter.SyntaxOf(right));

    /// <summary>Not equal (NULL matches neither).</summary>
    public static Filter operator !=(FilterText left, FilterText right) => Filter.Compare(BinaryOp.NotEqual, Filter.SyntaxOf(left), Filter.SyntaxOf(right));

    /// <summary>Ordered before, by binary comparison.</summary>
    public static Filter operator <(FilterText left, FilterText right) => Filter.Compare(BinaryOp.Less, Filter.SyntaxOf(left), Filter.SyntaxOf(right));

    /// <summary>Ordered before or equal.</summary>
    public static Filter operator <=(FilterText left, FilterText right) => Filter.Compare(BinaryOp.LessOrEqual, Filter.SyntaxOf(left), Filter.SyntaxOf(right));

    /// <summary>Ordered after.</summary>
    public static Filter operator >(FilterText left, FilterText right) => Filter.Compare(BinaryOp.Greater, Filter.SyntaxOf(left), Filter.SyntaxOf(right));

    /// <summary>Ordered after or equal.</summary>
    public static Filter operator >=(FilterText left, FilterText right) => Filter.Compare(BinaryOp.GreaterOrEqual, Filter.SyntaxOf(left), Filter.SyntaxOf(right));

    /// <summary>Matches a LIKE pattern: case-sensitive, <c>%</c> any run of characters, <c>_</c> one character, no escape character.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns>The condition.</returns>
    public Filter Like(string pattern) => new(new LikeSyntax(Syntax, FromString(pattern).Syntax, false, 0));

    /// <summary>Does not match a LIKE pattern (NULL matches neither).</summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns>The condition.</returns>
    public Filter NotLike(string pattern) => new(new LikeSyntax(Syntax, FromString(pattern).Syntax, true, 0));

    /// <summary>The value is one of <paramref name="values"/>.</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>The condition.</returns>
    public Filter In(params string[] values) => FilterOperand.In(Syntax, Filter.NotNull(values).Select(v => FromString(v).Syntax), false);

    /// <summary>The value is none of <paramref name="values"/>.</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>The condition.</returns>
    public Filter NotIn(params string[] values) => FilterOperand.In(Syntax, Filter.NotNull(values).Select(v => FromString(v).Syntax), true);

    /// <summary>The value is NULL.</summary>
    /// <returns>The condition.</returns>
    public Filter IsNull() => new(new IsNullSyntax(Syntax, false, 0));

    /// <summary>The value is not NULL.</summary>
    /// <returns>The condition.</returns>
    public Filter IsNotNull() => new(new IsNullSyntax(Syntax, true, 0));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc/>
    public override int GetHashCode() => RuntimeHelpers.GetHashCode(this);

    /// <inheritdoc/>
    public override string ToString() => FilterPrinter.Print(Syntax);
}
