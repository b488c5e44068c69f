using MetadataStore.Storage;

namespace MetadataStore.Semantics;

/// <summary>
/// MLMD's encoding of property values in the <c>*Property</c> tables, shared by every relational backend.
/// Exactly one value column is set: INT → <c>int_value</c>, DOUBLE → <c>double_value</c> (full precision),
/// STRING → <c>string_value</c>, BOOLEAN → <c>bool_value</c> (0/1), STRUCT → <c>string_value</c> holding
/// <c>mlmd-struct::</c> + base64 of a serialized <c>google.protobuf.Struct</c>, PROTO → <c>proto_value</c> holding
/// a serialized <c>google.protobuf.Any</c> (MLMD keeps it as base64 text on SQLite and as raw bytes on PostgreSQL).
/// On read the kind is taken from the first non-NULL column in MLMD's order: int, double, string, proto, bool.
/// The storage reads and writes the raw columns (<see cref="StoredValue"/>); these rules are MLMD's, so they live here.
/// </summary>
internal static class PropertyCodec
{
    /// <summary>The value columns that hold <paramref name="value"/>: exactly one is set.</summary>
    public static StoredValue ToStored(PropertyValue value) => value.Kind switch
    {
        PropertyKind.Int => new StoredValue(Int: value.IntValue),
        PropertyKind.Double => new StoredValue(Double: value.DoubleValue),
        PropertyKind.String or PropertyKind.Struct => new StoredValue(String: EncodeText(value)),
        PropertyKind.Proto => new StoredValue(Proto: EncodeProtoBytes(value)),
        PropertyKind.Boolean => new StoredValue(Bool: value.BooleanValue),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.Kind, "A stored value has a known kind."),
    };

    /// <summary>
    /// The value of a stored row: MLMD's order decides the kind, the first non-NULL of int, double, string (a struct
    /// when prefixed), proto, bool.
    /// </summary>
    /// <exception cref="MetadataStoreException">DataLoss when no column holds a value or a proto value is corrupt.</exception>
    public static PropertyValue FromStored(StoredValue stored, string name, NodeKind kind, long nodeId)
    {
        if (stored.Int is long i)
        {
            return PropertyValue.FromInt(i);
        }

        if (stored.Double is double d)
        {
            return PropertyValue.FromDouble(d);
        }

        if (stored.String is { } text)
        {
            return DecodeText(text);
        }

        if (stored.Proto is { } proto)
        {
            return DecodeProtoBytes(proto);
        }

        if (stored.Bool is bool b)
        {
            return PropertyValue.FromBoolean(b);
        }

        throw new MetadataStoreException(MetadataErrorCode.DataLoss, $"Property '{name}' of {Mapping.KindName(kind)} {nodeId} has no value in any value column.");
    }

    /// <summary>The prefix that marks a <c>string_value</c> as a serialized struct.</summary>
    public const string StructPrefix = "mlmd-struct::";

    /// <summary>The text stored in <c>string_value</c> for a string or struct value.</summary>
    public static string EncodeText(PropertyValue value) => value.Kind switch
    {
        PropertyKind.String => value.StringValue,
        PropertyKind.Struct => StructPrefix + Convert.ToBase64String(value.StructBytes),
        _ => throw new ArgumentException($"A {value.Kind} value is not stored as text.", nameof(value)),
    };

    /// <summary>The serialized <c>google.protobuf.Any</c> of a proto value.</summary>
    public static byte[] EncodeProtoBytes(PropertyValue value) => ProtobufCodec.AnyToBytes(value.ProtoTypeUrl, value.ProtoValue.Span);

    /// <summary>Whether a <c>string_value</c> holds a serialized struct.</summary>
    public static bool IsStruct(string text) => text.StartsWith(StructPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Reads a <c>string_value</c>: a struct when it carries the prefix and decodes as one, a string otherwise, so a
    /// plain string that happens to start with the prefix still reads back as written.
    /// </summary>
    public static PropertyValue DecodeText(string text)
    {
        if (IsStruct(text))
        {
            try
            {
                var bytes = Convert.FromBase64String(text.Substring(StructPrefix.Length));
                return PropertyValue.FromStoredStruct(ProtobufCodec.StructToJson(bytes), bytes);
            }
            catch (FormatException)
            {
                // Not a struct MLMD or we wrote: it is a string with an unlucky prefix.
            }
        }

        return PropertyValue.FromStoredString(text);
    }

    /// <summary>Reads a serialized <c>google.protobuf.Any</c>.</summary>
    /// <exception cref="MetadataStoreException">DataLoss when the encoding is corrupt or the type URL is empty.</exception>
    public static PropertyValue DecodeProtoBytes(ReadOnlySpan<byte> bytes)
    {
        string typeUrl;
        byte[] value;
        try
        {
            (typeUrl, value) = ProtobufCodec.AnyFromBytes(bytes);
        }
        catch (FormatException ex)
        {
            throw new MetadataStoreException(MetadataErrorCode.DataLoss, $"A stored proto value is corrupt: {ex.Message}", ex);
        }

        if (typeUrl.Length == 0)
        {
            throw new MetadataStoreException(MetadataErrorCode.DataLoss, "A stored proto value has an empty type URL.");
        }

        return PropertyValue.FromProto(typeUrl, value);
    }
}
