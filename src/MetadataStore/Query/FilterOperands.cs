using System.Runtime.CompilerServices;
using MetadataStore.Query;

namespace MetadataStore;

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
    public static Filter operator ==(FilterNumber left, FilterNumber right) => Filter.Compare(BinaryOp.Equal, FilterOperand.Of(left, nameof(left)), FilterOperand.Of(right, nameof(right)));

    /// <summary>Not equal (NULL matches neither).</summary>
    public static Filter operator !=(FilterNumber left, FilterNumber right) => Filter.Compare(BinaryOp.NotEqual, FilterOperand.Of(left, nameof(left)), FilterOperand.Of(right, nameof(right)));

    /// <summary>Less than.</summary>
    public static Filter operator <(FilterNumber left, FilterNumber right) => Filter.Compare(BinaryOp.Less, FilterOperand.Of(left, nameof(left)), FilterOperand.Of(right, nameof(right)));

    /// <summary>Less than or equal.</summary>
    public static Filter operator <=(FilterNumber left, FilterNumber right) => Filter.Compare(BinaryOp.LessOrEqual, FilterOperand.Of(left, nameof(left)), FilterOperand.Of(right, nameof(right)));

    /// <summary>Greater than.</summary>
    public static Filter operator >(FilterNumber left, FilterNumber right) => Filter.Compare(BinaryOp.Greater, FilterOperand.Of(left, nameof(left)), FilterOperand.Of(right, nameof(right)));

    /// <summary>Greater than or equal.</summary>
    public static Filter operator >=(FilterNumber left, FilterNumber right) => Filter.Compare(BinaryOp.GreaterOrEqual, FilterOperand.Of(left, nameof(left)), FilterOperand.Of(right, nameof(right)));

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
        return new(new UnarySyntax(UnaryOp.Negate, value.Syntax, 0));
    }

    /// <summary>The value is one of <paramref name="values"/>.</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>The condition.</returns>
    public Filter In(params FilterNumber[] values) => FilterOperand.In(Syntax, values.Select(v => v.Syntax), false);

    /// <summary>The value is none of <paramref name="values"/> (NULL matches neither IN nor NOT IN).</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>The condition.</returns>
    public Filter NotIn(params FilterNumber[] values) => FilterOperand.In(Syntax, values.Select(v => v.Syntax), true);

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
        return new(new BinarySyntax(op, left.Syntax, right.Syntax, 0));
    }
}

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
    public static Filter operator ==(FilterText left, FilterText right) => Filter.Compare(BinaryOp.Equal, FilterOperand.Of(left, nameof(left)), FilterOperand.Of(right, nameof(right)));

    /// <summary>Not equal (NULL matches neither).</summary>
    public static Filter operator !=(FilterText left, FilterText right) => Filter.Compare(BinaryOp.NotEqual, FilterOperand.Of(left, nameof(left)), FilterOperand.Of(right, nameof(right)));

    /// <summary>Ordered before, by binary comparison.</summary>
    public static Filter operator <(FilterText left, FilterText right) => Filter.Compare(BinaryOp.Less, FilterOperand.Of(left, nameof(left)), FilterOperand.Of(right, nameof(right)));

    /// <summary>Ordered before or equal.</summary>
    public static Filter operator <=(FilterText left, FilterText right) => Filter.Compare(BinaryOp.LessOrEqual, FilterOperand.Of(left, nameof(left)), FilterOperand.Of(right, nameof(right)));

    /// <summary>Ordered after.</summary>
    public static Filter operator >(FilterText left, FilterText right) => Filter.Compare(BinaryOp.Greater, FilterOperand.Of(left, nameof(left)), FilterOperand.Of(right, nameof(right)));

    /// <summary>Ordered after or equal.</summary>
    public static Filter operator >=(FilterText left, FilterText right) => Filter.Compare(BinaryOp.GreaterOrEqual, FilterOperand.Of(left, nameof(left)), FilterOperand.Of(right, nameof(right)));

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
    public Filter In(params string[] values) => FilterOperand.In(Syntax, values.Select(v => FromString(v).Syntax), false);

    /// <summary>The value is none of <paramref name="values"/>.</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>The condition.</returns>
    public Filter NotIn(params string[] values) => FilterOperand.In(Syntax, values.Select(v => FromString(v).Syntax), true);

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

/// <summary>A BOOL property value in a filter.</summary>
public sealed class FilterBool
{
    internal FilterBool(FilterSyntax syntax)
    {
        Syntax = syntax;
    }

    internal FilterSyntax Syntax { get; }

    /// <summary>The value equals <paramref name="right"/>.</summary>
    public static Filter operator ==(FilterBool left, bool right) => Filter.Compare(BinaryOp.Equal, FilterOperand.Of(left, nameof(left)), new LiteralSyntax(LiteralKind.Bool, right, 0));

    /// <summary>The value differs from <paramref name="right"/> (NULL matches neither).</summary>
    public static Filter operator !=(FilterBool left, bool right) => Filter.Compare(BinaryOp.NotEqual, FilterOperand.Of(left, nameof(left)), new LiteralSyntax(LiteralKind.Bool, right, 0));

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

/// <summary>An enum field in a filter (artifact state, execution state, event type).</summary>
/// <typeparam name="TEnum"><see cref="ArtifactState"/>, <see cref="ExecutionState"/> or <see cref="EventType"/>.</typeparam>
public sealed class FilterEnum<TEnum>
    where TEnum : struct, Enum
{
    private readonly string[] _segments;

    internal FilterEnum(string[] segments)
    {
        _segments = segments;
    }

    internal FilterSyntax Syntax => Filter.Path(_segments);

    /// <summary>The field equals <paramref name="value"/> (a NULL state matches neither = nor IN).</summary>
    public static Filter operator ==(FilterEnum<TEnum> field, TEnum value) => Filter.Compare(BinaryOp.Equal, FilterOperand.Of(field, nameof(field)), Value(value));

    /// <summary>The field differs from <paramref name="value"/>; as in MLMD, a NULL state matches too.</summary>
    public static Filter operator !=(FilterEnum<TEnum> field, TEnum value) => Filter.Compare(BinaryOp.NotEqual, FilterOperand.Of(field, nameof(field)), Value(value));

    /// <summary>The field is one of <paramref name="values"/>.</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>The condition.</returns>
    public Filter In(params TEnum[] values) => FilterOperand.In(Syntax, values.Select(Value), false);

    /// <summary>The field is none of <paramref name="values"/>; as in MLMD, a NULL state matches too.</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>The condition.</returns>
    public Filter NotIn(params TEnum[] values) => FilterOperand.In(Syntax, values.Select(Value), true);

    /// <summary>The field is NULL (never set).</summary>
    /// <returns>The condition.</returns>
    public Filter IsNull() => new(new IsNullSyntax(Syntax, false, 0));

    /// <summary>The field is set.</summary>
    /// <returns>The condition.</returns>
    public Filter IsNotNull() => new(new IsNullSyntax(Syntax, true, 0));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc/>
    public override int GetHashCode() => RuntimeHelpers.GetHashCode(this);

    /// <inheritdoc/>
    public override string ToString() => FilterPrinter.Print(Syntax);

    private static FilterSyntax Value(TEnum value)
    {
        FilterEnumDomain domain = value switch
        {
            ArtifactState => FilterEnumDomain.ArtifactState,
            ExecutionState => FilterEnumDomain.ExecutionState,
            _ => FilterEnumDomain.EventType,
        };
        int number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        if (number < 0 || number >= FilterEnums.Names(domain).Count)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"{number} is not a value of {typeof(TEnum).Name}.");
        }

        return Filter.Path(FilterEnums.Name(domain, number));
    }
}

/// <summary>A property in a filter; pick the value column to compare.</summary>
public sealed class FilterProperty
{
    private readonly string _scope;
    private readonly string _name;

    internal FilterProperty(string scope, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Contains('`', StringComparison.Ordinal))
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The property name \"{name}\" cannot be used in a filter: it is empty or holds a back-quote.");
        }

        _scope = scope;
        _name = name;
    }

    /// <summary>The INT value (NULL when the node lacks the property or it holds another kind).</summary>
    public FilterNumber IntValue => FilterNumber.Field(_scope, _name, "int_value");

    /// <summary>The DOUBLE value (NULL when the node lacks the property or it holds another kind).</summary>
    public FilterNumber DoubleValue => FilterNumber.Field(_scope, _name, "double_value");

    /// <summary>The STRING value (NULL when the node lacks the property or it holds another kind).</summary>
    public FilterText StringValue => FilterText.Field(_scope, _name, "string_value");

    /// <summary>The BOOLEAN value (NULL when the node lacks the property or it holds another kind).</summary>
    public FilterBool BoolValue => new(Filter.Path(_scope, _name, "bool_value"));
}

/// <summary>A neighbouring node in a filter (<c>contexts_x</c>, <c>artifacts_x</c>, <c>executions_x</c>, <c>parent_contexts_x</c>, <c>child_contexts_x</c>).</summary>
public sealed class FilterNeighbor
{
    private readonly string _alias;

    internal FilterNeighbor(string prefix, string alias)
    {
        Filter.RequirePlainName(alias, "alias");
        _alias = prefix + alias;
    }

    /// <summary>The neighbour's id.</summary>
    public FilterNumber Id => FilterNumber.Field(_alias, "id");

    /// <summary>The neighbour's type id.</summary>
    public FilterNumber TypeId => FilterNumber.Field(_alias, "type_id");

    /// <summary>The neighbour's type name.</summary>
    public FilterText Type => FilterText.Field(_alias, "type");

    /// <summary>The neighbour's name.</summary>
    public FilterText Name => FilterText.Field(_alias, "name");

    /// <summary>The neighbour's external id.</summary>
    public FilterText ExternalId => FilterText.Field(_alias, "external_id");

    /// <summary>The neighbour's creation time, in milliseconds since the Unix epoch.</summary>
    public FilterNumber CreateTime => FilterNumber.Field(_alias, "create_time_since_epoch");

    /// <summary>The neighbour's last update time, in milliseconds since the Unix epoch.</summary>
    public FilterNumber LastUpdateTime => FilterNumber.Field(_alias, "last_update_time_since_epoch");

    /// <summary>The neighbouring artifact's URI (<see cref="Filter.Artifact"/> only).</summary>
    public FilterText Uri => FilterText.Field(_alias, "uri");

    /// <summary>The neighbouring artifact's state (<see cref="Filter.Artifact"/> only).</summary>
    public FilterEnum<ArtifactState> State => new([_alias, "state"]);

    /// <summary>The neighbouring execution's state (<see cref="Filter.Execution"/> only).</summary>
    public FilterEnum<ExecutionState> LastKnownState => new([_alias, "last_known_state"]);
}

/// <summary>An event of the listed artifact or execution in a filter (<c>events_x</c>).</summary>
public sealed class FilterEvent
{
    private readonly string _alias;

    internal FilterEvent(string alias)
    {
        Filter.RequirePlainName(alias, "alias");
        _alias = "events_" + alias;
    }

    /// <summary>The event type.</summary>
    public FilterEnum<EventType> Type => new([_alias, "type"]);

    /// <summary>The event time, in milliseconds since the Unix epoch.</summary>
    public FilterNumber Time => FilterNumber.Field(_alias, "milliseconds_since_epoch");

    /// <summary>The execution at the other end (artifact listings only).</summary>
    public FilterNumber ExecutionId => FilterNumber.Field(_alias, "execution_id");

    /// <summary>The artifact at the other end (execution listings only).</summary>
    public FilterNumber ArtifactId => FilterNumber.Field(_alias, "artifact_id");
}

internal static class FilterOperand
{
    /// <summary>An operand's syntax; a null operand of an operator is an <see cref="ArgumentNullException"/>, not a null dereference.</summary>
    public static FilterSyntax Of(FilterNumber? operand, string name) => (operand ?? throw new ArgumentNullException(name)).Syntax;

    /// <summary>An operand's syntax; a null operand of an operator is an <see cref="ArgumentNullException"/>.</summary>
    public static FilterSyntax Of(FilterText? operand, string name) => (operand ?? throw new ArgumentNullException(name)).Syntax;

    /// <summary>An operand's syntax; a null operand of an operator is an <see cref="ArgumentNullException"/>.</summary>
    public static FilterSyntax Of(FilterBool? operand, string name) => (operand ?? throw new ArgumentNullException(name)).Syntax;

    /// <summary>An operand's syntax; a null operand of an operator is an <see cref="ArgumentNullException"/>.</summary>
    public static FilterSyntax Of<TEnum>(FilterEnum<TEnum>? operand, string name)
        where TEnum : struct, Enum => (operand ?? throw new ArgumentNullException(name)).Syntax;

    public static Filter In(FilterSyntax operand, IEnumerable<FilterSyntax> values, bool negated)
    {
        var list = values.ToList();
        if (list.Count == 0)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, "IN and NOT IN need at least one value.");
        }

        return new Filter(new InSyntax(operand, list, negated, 0));
    }
}
