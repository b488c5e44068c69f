using System.Globalization;

namespace MetadataStore.Query;

/// <summary>Builds the InvalidArgument errors of the filter language; every message names the position and what was expected.</summary>
internal static class FilterErrors
{
    public static MetadataStoreException Syntax(int position, string message) =>
        Create(position, "Syntax error: " + message);

    public static MetadataStoreException Create(int position, string message) =>
        new(MetadataErrorCode.InvalidArgument, position > 0
            ? string.Create(CultureInfo.InvariantCulture, $"Invalid filter query at position {position}: {message}")
            : "Invalid filter query: " + message);
}
