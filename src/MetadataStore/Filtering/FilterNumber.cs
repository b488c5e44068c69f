using System.Runtime.CompilerServices;
using MetadataStore.Query;

namespace MetadataStore.Filtering;

/// <summary>A numeric value in a filter: an INT64 or DOUBLE field, a number, or arithmetic on them.</summary>
public sealed class FilterNumber
{
    internal FilterNumber(FilterSyntax syntax)
    {
        Syntax = Filter.CheckSize(syntax);
    }

    internal FilterSyntax Syntax { get; }

    internal static FilterNumber Field(params string[] segments) => new(Filter.Path(segments));

    /// <summary>An integer literal.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator FilterNumber(long value) => FromInt64(value);

    /// <summary>A floating-point literal.</summary>
    /// <param name="value">The value; must be finite.</param>
    public static implicit operator FilterNumber(double value) => FromDouble(value);

    /// <summary>An integer literal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The literal.</returns>
    public static FilterNumber FromInt64(long value) => new(new LiteralSyntax(LiteralKind.Int, value, 0));

    /// <summary>A floating-point literal.</summary>
    /// <param name="value">The value; must be finite.</param>
    /// <returns>The literal.</returns>
    public static FilterNumber FromDouble(double value) => double.IsFinite(value)
        ? new(new LiteralSyntax(LiteralKind.Double, value, 0))
        : throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, "A filter number must be finite.");

    /// <summary>Equal.</summary>
    public static Filter operator ==(FilterNumber left, FilterNumber right) => Filter.Compare(BinaryOp.Equal, Filter.SyntaxOf(left), Filter.SyntaxOf(right));

    /// <summary>Not equal (NULL matches neither).</summary>
    public static Filter operator !=(FilterNumber left, FilterNumber right) => Filter.Compare(BinaryOp.NotEqual, Filter.SyntaxOf(left), Filter.SyntaxOf(right));

    /// <summary>Less than.</summary>
    public static Filter operator <(FilterNumber left, FilterNumber right) => Filter.Compare(BinaryOp.Less, Filter.SyntaxOf(left), Filter.SyntaxOf(right));

    /// <summary>Less than or equal.</summary>
    public static Filter operator <=(FilterNumber left, FilterNumber right) => Filter.Compare(BinaryOp.LessOrEqual, Filter.SyntaxOf(left), Filter.SyntaxOf(right));

    /// <summary>Greater than.</summary>
    public static Filter operator >(FilterNumber left, FilterNumber right) => Filter.Compare(BinaryOp.Greater, Filter.SyntaxOf(left), Filter.SyntaxOf(right));

    /// <summary>Greater than or equal.</summary>
    public static Filter operator >=(FilterNumber left, FilterNumber right) => Filter.Compare(BinaryOp.GreaterOrEqual, Filter.SyntaxOf(left), Filter.SyntaxOf(right));

    /// <summary>Sum.</summary>
    public static FilterNumber operator +(FilterNumber left, FilterNumber right) => Add(left, right);

    /// <summary>Difference.</summary>
    public static FilterNumber operator -(FilterNumber left, FilterNumber right) => Subtract(left, right);

    /// <summary>Product.</summary>
    public static FilterNumber operator *(FilterNumber left, FilterNumber right) => Multiply(left, right);

    /// <summary>Quotient, always DOUBLE; NULL when dividing by zero.</summary>
    public static FilterNumber operator /(FilterNumber left, FilterNumber right) => Divide(left, right);

    /// <summary>Negation.</summary>
    public static FilterNumber operator -(FilterNumber value) => Negate(value);

    /// <summary>Sum.</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand.</param>
    /// <returns>The expression.</returns>
    public static FilterNumber Add(FilterNumber left, FilterNumber right) => Arithmetic(BinaryOp.Add, left, right);

    /// <summary>Difference.</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand.</param>
    /// <returns>The expression.</returns>
    public static FilterNumber Subtract(FilterNumber left, FilterNumber right) => Arithmetic(BinaryOp.Subtract, left, right);

    /// <summary>Product.</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand.</param>
    /// <returns>The expression.</returns>
    public static FilterNumber Multiply(FilterNumber left, FilterNumber right) => Arithmetic(BinaryOp.Multiply, left, right);

    /// <summary>Quotient, always DOUBLE; NULL when dividing by zero.</summary>
    /// <param name="left">The dividend.</param>
    /// <param name="right">The divisor.</param>
    /// <returns>The expression.</returns>
    public static FilterNumber Divide(FilterNumber left, FilterNumber right) => Arithmetic(BinaryOp.Divide, left, right);

    /// <summary>Negation.</summary>
    /// <param name="value">The operand.</param>
    /// <returns>The expression.</returns>
    public static FilterNumber Negate(FilterNumber value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(new UnarySyntax(UnaryOp.Negate, Filter.SyntaxOf(value), 0));
    }

    /// <summary>The value is one of <paramref name="values"/>.</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>The condition.</returns>
    public Filter In(params FilterNumber[] values) => FilterOperand.In(Syntax, Filter.NotNull(values).Select(v => Filter.SyntaxOf(v, nameof(values))), false);

    /// <summary>The value is none of <paramref name="values"/> (NULL matches neither IN nor NOT IN).</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>The condition.</returns>
    public Filter NotIn(params FilterNumber[] values) => FilterOperand.In(Syntax, Filter.NotNull(values).Select(v => Filter.SyntaxOf(v, nameof(values))), true);

    /// <summary>The value is NULL (for a property: the node lacks it or holds another kind of value).</summary>
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

    private static FilterNumber Arithmetic(BinaryOp op, FilterNumber left, FilterNumber right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(new BinarySyntax(op, Filter.SyntaxOf(left), Filter.SyntaxOf(right), 0));
    }
}
