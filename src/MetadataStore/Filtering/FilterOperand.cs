using MetadataStore.Query;

namespace MetadataStore.Filtering;

internal static class FilterOperand
{
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
