using System.Runtime.CompilerServices;
using MetadataStore.Query;

namespace MetadataStore.Filtering;

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
    public static Filter operator ==(FilterEnum<TEnum> field, TEnum value) => Filter.Compare(BinaryOp.Equal, Filter.SyntaxOf(field), Value(value));

    /// <summary>The field differs from <paramref name="value"/>; as in MLMD, a NULL state matches too.</summary>
    public static Filter operator !=(FilterEnum<TEnum> field, TEnum value) => Filter.Compare(BinaryOp.NotEqual, Filter.SyntaxOf(field), Value(value));

    /// <summary>The field is one of <paramref name="values"/>.</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>The condition.</returns>
    public Filter In(params TEnum[] values) => FilterOperand.In(Syntax, Filter.NotNull(values).Select(Value), false);

    /// <summary>The field is none of <paramref name="values"/>; as in MLMD, a NULL state matches too.</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>The condition.</returns>
    public Filter NotIn(params TEnum[] values) => FilterOperand.In(Syntax, Filter.NotNull(values).Select(Value), true);

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
