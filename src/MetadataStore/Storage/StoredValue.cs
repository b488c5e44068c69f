using System.Diagnostics.CodeAnalysis;

namespace MetadataStore.Storage;

/// <summary>The value column of a property row.</summary>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public enum PropertyColumn
{
    /// <summary><c>int_value</c>.</summary>
    Int,

    /// <summary><c>double_value</c>.</summary>
    Double,

    /// <summary><c>string_value</c>.</summary>
    String,

    /// <summary><c>proto_value</c>.</summary>
    Proto,

    /// <summary><c>bool_value</c>.</summary>
    Bool,
}

/// <summary>
/// The raw value columns of one property row, as stored: the storage neither decides nor checks a value's kind
/// (MLMD takes it from the first non-NULL column on read; the semantics layer does that). <see cref="Proto"/> holds
/// the serialized <c>google.protobuf.Any</c>, however the database encodes it.
/// </summary>
/// <param name="Int">The <c>int_value</c> column.</param>
/// <param name="Double">The <c>double_value</c> column.</param>
/// <param name="String">The <c>string_value</c> column.</param>
/// <param name="Proto">The <c>proto_value</c> column, decoded to bytes.</param>
/// <param name="Bool">The <c>bool_value</c> column.</param>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public readonly record struct StoredValue(long? Int = null, double? Double = null, string? String = null, byte[]? Proto = null, bool? Bool = null)
{
    /// <summary>The first column that holds a value in MLMD's order (int, double, string, proto, bool); null when none does.</summary>
    public PropertyColumn? Column =>
        Int is not null ? PropertyColumn.Int
        : Double is not null ? PropertyColumn.Double
        : String is not null ? PropertyColumn.String
        : Proto is not null ? PropertyColumn.Proto
        : Bool is not null ? PropertyColumn.Bool
        : null;

    /// <summary>The MLMD column name of a value column, such as <c>int_value</c>.</summary>
    internal static string ColumnName(PropertyColumn column) => column switch
    {
        PropertyColumn.Int => "int_value",
        PropertyColumn.Double => "double_value",
        PropertyColumn.String => "string_value",
        PropertyColumn.Proto => "proto_value",
        PropertyColumn.Bool => "bool_value",
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, null),
    };
}
