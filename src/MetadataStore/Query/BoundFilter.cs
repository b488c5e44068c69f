namespace MetadataStore.Query;

/// <summary>The value types of the filter language.</summary>
internal enum FilterValueKind
{
    Bool,
    Int,
    Double,
    String,
    Enum,
}

/// <summary>Which enum an enum-typed field holds.</summary>
internal enum FilterEnumDomain
{
    None,
    ArtifactState,
    ExecutionState,
    EventType,
}

internal readonly record struct FilterType(FilterValueKind Kind, FilterEnumDomain Domain = FilterEnumDomain.None)
{
    public static readonly FilterType Bool = new(FilterValueKind.Bool);
    public static readonly FilterType Int = new(FilterValueKind.Int);
    public static readonly FilterType Double = new(FilterValueKind.Double);
    public static readonly FilterType String = new(FilterValueKind.String);

    public bool IsNumeric => Kind is FilterValueKind.Int or FilterValueKind.Double;

    public override string ToString() => Kind switch
    {
        FilterValueKind.Bool => "BOOL",
        FilterValueKind.Int => "INT64",
        FilterValueKind.Double => "DOUBLE",
        FilterValueKind.String => "STRING",
        _ => "ENUM " + Domain,
    };
}

/// <summary>The neighbourhood an alias such as <c>contexts_a</c> reaches.</summary>
internal enum AliasKind
{
    /// <summary>Contexts of an artifact (Attribution) or an execution (Association).</summary>
    Contexts,
    /// <summary>Artifacts attributed to a context.</summary>
    Artifacts,
    /// <summary>Executions associated with a context.</summary>
    Executions,
    /// <summary>Parents of a context.</summary>
    ParentContexts,
    /// <summary>Children of a context.</summary>
    ChildContexts,
    /// <summary>Events of an artifact or an execution.</summary>
    Events,
}

/// <summary>One distinct neighbourhood alias of a query; each is its own join, numbered in order of first mention.</summary>
internal sealed record FilterAlias(string Name, AliasKind Kind, int Index);

/// <summary>A resolved, type-checked filter expression for one node kind.</summary>
internal abstract record Bound(FilterType Type);

/// <summary>A column of the node row (<see cref="Alias"/> null) or of an alias's row.</summary>
internal sealed record BoundColumn(FilterAlias? Alias, string Column, FilterType ColumnType) : Bound(ColumnType);

/// <summary>The type name of the node or of an alias's node (joined from <c>Type</c>).</summary>
internal sealed record BoundTypeName(FilterAlias? Alias) : Bound(FilterType.String);

/// <summary>One value column of a (custom) property of the node.</summary>
internal sealed record BoundProperty(bool IsCustom, string Name, string ValueColumn, FilterType ValueType) : Bound(ValueType);

/// <summary>A literal; an enum value is its number.</summary>
internal sealed record BoundLiteral(object Value, FilterType LiteralType) : Bound(LiteralType);

internal sealed record BoundNot(Bound Operand) : Bound(FilterType.Bool);

internal sealed record BoundLogical(bool IsAnd, IReadOnlyList<Bound> Operands) : Bound(FilterType.Bool);

internal sealed record BoundCompare(BinaryOp Op, Bound Left, Bound Right) : Bound(FilterType.Bool);

internal sealed record BoundArithmetic(BinaryOp Op, Bound Left, Bound Right, FilterType ResultType) : Bound(ResultType);

internal sealed record BoundNegate(Bound Operand) : Bound(Operand.Type);

internal sealed record BoundIn(Bound Operand, IReadOnlyList<Bound> Values, bool Negated) : Bound(FilterType.Bool);

/// <summary>LIKE with a literal pattern: case-sensitive, <c>%</c> any run, <c>_</c> one character, no escape character.</summary>
internal sealed record BoundLike(Bound Operand, string Pattern, bool Negated) : Bound(FilterType.Bool);

internal sealed record BoundIsNull(Bound Operand, bool Negated) : Bound(FilterType.Bool);

/// <summary>A constant condition.</summary>
internal sealed record BoundConstant(bool Value) : Bound(FilterType.Bool);

internal static class BoundExtensions
{
    /// <summary>Whether the expression is a condition (true, false or unknown) rather than a value.</summary>
    public static bool IsCondition(this Bound bound) =>
        bound is BoundNot or BoundLogical or BoundCompare or BoundIn or BoundLike or BoundIsNull or BoundConstant;
}
