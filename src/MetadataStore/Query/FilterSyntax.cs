namespace MetadataStore.Query;

/// <summary>
/// The syntax tree of a filter query, as the parser and the typed builder produce it. Names are not checked
/// here; <see cref="FilterResolver"/> does that for one node kind. <c>Position</c> is the 1-based character
/// offset in the query text, or 0 for nodes built in code.
/// </summary>
internal abstract record FilterSyntax(int Position);

/// <summary>A dotted name such as <c>name</c>, <c>properties.`my p`.int_value</c> or <c>contexts_a.type</c>; also a bare enum value such as <c>LIVE</c>.</summary>
internal sealed record PathSyntax(IReadOnlyList<string> Segments, int Position) : FilterSyntax(Position)
{
    public bool IsSingle => Segments.Count == 1;

    public string Text => string.Join(".", Segments);
}

internal enum LiteralKind
{
    Int,
    Double,
    String,
    Bool,
}

internal sealed record LiteralSyntax(LiteralKind Kind, object Value, int Position) : FilterSyntax(Position);

internal enum UnaryOp
{
    Not,
    Negate,
}

internal sealed record UnarySyntax(UnaryOp Op, FilterSyntax Operand, int Position) : FilterSyntax(Position);

internal enum BinaryOp
{
    And,
    Or,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Add,
    Subtract,
    Multiply,
    Divide,
}

internal sealed record BinarySyntax(BinaryOp Op, FilterSyntax Left, FilterSyntax Right, int Position) : FilterSyntax(Position);

internal sealed record InSyntax(FilterSyntax Operand, IReadOnlyList<FilterSyntax> Values, bool Negated, int Position) : FilterSyntax(Position);

internal sealed record LikeSyntax(FilterSyntax Operand, FilterSyntax Pattern, bool Negated, int Position) : FilterSyntax(Position);

internal sealed record IsNullSyntax(FilterSyntax Operand, bool Negated, int Position) : FilterSyntax(Position);

internal static class FilterOperators
{
    public static bool IsComparison(this BinaryOp op) => op is >= BinaryOp.Equal and <= BinaryOp.GreaterOrEqual;

    public static bool IsArithmetic(this BinaryOp op) => op is >= BinaryOp.Add and <= BinaryOp.Divide;

    public static string Symbol(this BinaryOp op) => op switch
    {
        BinaryOp.And => "AND",
        BinaryOp.Or => "OR",
        BinaryOp.Equal => "=",
        BinaryOp.NotEqual => "!=",
        BinaryOp.Less => "<",
        BinaryOp.LessOrEqual => "<=",
        BinaryOp.Greater => ">",
        BinaryOp.GreaterOrEqual => ">=",
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>The comparison that is true exactly when <paramref name="op"/> is false (both are NULL on NULL input).</summary>
    public static BinaryOp Negate(this BinaryOp op) => op switch
    {
        BinaryOp.Equal => BinaryOp.NotEqual,
        BinaryOp.NotEqual => BinaryOp.Equal,
        BinaryOp.Less => BinaryOp.GreaterOrEqual,
        BinaryOp.LessOrEqual => BinaryOp.Greater,
        BinaryOp.Greater => BinaryOp.LessOrEqual,
        BinaryOp.GreaterOrEqual => BinaryOp.Less,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>The comparison with its operands swapped.</summary>
    public static BinaryOp Mirror(this BinaryOp op) => op switch
    {
        BinaryOp.Less => BinaryOp.Greater,
        BinaryOp.LessOrEqual => BinaryOp.GreaterOrEqual,
        BinaryOp.Greater => BinaryOp.Less,
        BinaryOp.GreaterOrEqual => BinaryOp.LessOrEqual,
        _ => op,
    };
}
