using System.Runtime.CompilerServices;
using MetadataStore.Query;

namespace MetadataStore.Filtering;

/// <summary>A BOOL property value in a filter.</summary>
public sealed class FilterBool
{
    internal FilterBool(FilterSyntax syntax)
    {
        Syntax = syntax;
    }

    internal FilterSyntax Syntax { get; }

    /// <summary>The value equals <paramref name="right"/>.</summary>
    public static Filter operator ==(FilterBool left, bool right) => Filter.Compare(BinaryOp.Equal, Filter.SyntaxOf(left), new LiteralSyntax(LiteralKind.Bool, right, 0));

    /// <summary>The value differs from <paramref name="right"/> (NULL matches neither).</summary>
    public static Filter operator !=(FilterBool left, bool right) => Filter.Compare(BinaryOp.NotEqual, Filter.SyntaxOf(left), new LiteralSyntax(LiteralKind.Bool, right, 0));

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
