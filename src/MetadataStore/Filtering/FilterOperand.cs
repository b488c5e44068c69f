using MetadataStore.Query;

namespace MetadataStore.Filtering;

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
