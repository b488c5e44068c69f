using MetadataStore.Query;

namespace MetadataStore.Filtering;

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
