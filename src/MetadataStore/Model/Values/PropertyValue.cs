using System.Globalization;
using System.Text.Json;
using MetadataStore.Storage;

namespace MetadataStore;

/// <summary>
/// An immutable property value: an integer, a double, a string, a boolean, a JSON-shaped structure or a
/// packed protocol buffer message. Values compare by content.
/// </summary>
public sealed class PropertyValue : IEquatable<PropertyValue>
{
    private readonly long _int;
    private readonly double _double;
    private readonly string? _text;
    private readonly byte[]? _bytes;

    private PropertyValue(PropertyKind kind, long intValue, double doubleValue, string? text, byte[]? bytes)
    {
        Kind = kind;
        _int = intValue;
        _double = doubleValue;
        _text = text;
        _bytes = bytes;
    }

    /// <summary>The kind of value held.</summary>
    public PropertyKind Kind { get; }

    /// <summary>Creates an integer value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The property value.</returns>
    public static PropertyValue FromInt(long value) => new(PropertyKind.Int, value, 0, null, null);

    /// <summary>
    /// Creates a double value. Infinities are kept and read back as stored. NaN is refused: MLMD's <c>double_value</c>
    /// column cannot hold it and no filter could match it. Negative zero becomes zero, since the column keeps no sign
    /// of zero.
    /// </summary>
    /// <param name="value">The value, not NaN.</param>
    /// <returns>The property value.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when the value is NaN.</exception>
    public static PropertyValue FromDouble(double value)
    {
        if (double.IsNaN(value))
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, "A double property value cannot be NaN; the store keeps finite numbers and infinities only.");
        }

        // -0.0 == 0.0, so this turns negative zero into zero and leaves every other value as is.
        return new(PropertyKind.Double, 0, value == 0 ? 0d : value, null, null);
    }

    /// <summary>Creates a string value.</summary>
    /// <param name="value">The value; well-formed UTF-16 (no unpaired surrogate).</param>
    /// <returns>The property value.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when the text holds an unpaired surrogate.</exception>
    public static PropertyValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Utf16Text.Require(value, "A string property value");
        return new(PropertyKind.String, 0, 0, value, null);
    }

    /// <summary>Creates a boolean value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The property value.</returns>
    public static PropertyValue FromBoolean(bool value) => new(PropertyKind.Boolean, value ? 1 : 0, 0, null, null);

    /// <summary>
    /// Creates a structure value from JSON text whose root is an object. The value is held in canonical form, the form
    /// the store reads back: compact, keys in ordinal order, numbers as doubles in shortest form (<c>1.0</c> and
    /// <c>1e2</c> become <c>1</c> and <c>100</c>), so values with equal content are equal however they were spelled.
    /// </summary>
    /// <param name="json">A JSON object, such as <c>{"layers": [64, 32], "activation": "relu"}</c>.</param>
    /// <returns>The property value, holding the JSON in canonical form.</returns>
    /// <exception cref="MetadataStoreException">
    /// InvalidArgument when the text is not a JSON object, nests objects and arrays more than 32 levels deep, repeats a
    /// key within an object, holds a number that is not a finite double (such as <c>1e400</c>), or holds text that is
    /// not valid UTF-16.
    /// </exception>
    public static PropertyValue FromStructJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = ProtobufCodec.ParseStructJson(json);
        return FromStruct(document.RootElement);
    }

    /// <summary>Creates a structure value from a JSON element whose kind is an object; see <see cref="FromStructJson"/> for the form held and the limits.</summary>
    /// <param name="element">A JSON object.</param>
    /// <returns>The property value, holding the JSON in canonical form.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when the element is no valid struct value, as for <see cref="FromStructJson"/>.</exception>
    public static PropertyValue FromStruct(JsonElement element)
    {
        var bytes = ProtobufCodec.StructFromJson(element);
        return new(PropertyKind.Struct, 0, 0, ProtobufCodec.StructToJson(bytes), bytes);
    }

    /// <summary>Creates a packed protocol buffer value (a <c>google.protobuf.Any</c>).</summary>
    /// <param name="typeUrl">The message's type URL, such as <c>type.googleapis.com/my.package.Message</c>; not empty.</param>
    /// <param name="value">The serialized message.</param>
    /// <returns>The property value, holding a copy of the bytes.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when the type URL is empty or not valid UTF-16.</exception>
    public static PropertyValue FromProto(string typeUrl, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(typeUrl);
        if (typeUrl.Length == 0)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, "A proto value needs a type URL, such as type.googleapis.com/my.package.Message.");
        }

        Utf16Text.Require(typeUrl, "A proto value's type URL");
        return new(PropertyKind.Proto, 0, 0, typeUrl, value.ToArray());
    }

    /// <summary>A string read from storage, which decoded it from UTF-8 and so holds no unpaired surrogate.</summary>
    internal static PropertyValue FromStoredString(string value) => new(PropertyKind.String, 0, 0, value, null);

    /// <summary>A struct read from storage: its canonical JSON and the serialized Struct it came from.</summary>
    internal static PropertyValue FromStoredStruct(string canonicalJson, byte[] bytes) => new(PropertyKind.Struct, 0, 0, canonicalJson, bytes);

    /// <summary>The serialized <c>google.protobuf.Struct</c> of a struct value.</summary>
    internal ReadOnlySpan<byte> StructBytes => Kind == PropertyKind.Struct ? _bytes : throw WrongKind(PropertyKind.Struct);

    /// <summary>The integer held; throws <see cref="MetadataStoreException"/> (FailedPrecondition) unless <see cref="Kind"/> is <see cref="PropertyKind.Int"/>.</summary>
    public long IntValue => Kind == PropertyKind.Int ? _int : throw WrongKind(PropertyKind.Int);

    /// <summary>The double held; throws <see cref="MetadataStoreException"/> (FailedPrecondition) unless <see cref="Kind"/> is <see cref="PropertyKind.Double"/>.</summary>
    public double DoubleValue => Kind == PropertyKind.Double ? _double : throw WrongKind(PropertyKind.Double);

    /// <summary>The string held; throws <see cref="MetadataStoreException"/> (FailedPrecondition) unless <see cref="Kind"/> is <see cref="PropertyKind.String"/>.</summary>
    public string StringValue => Kind == PropertyKind.String ? _text! : throw WrongKind(PropertyKind.String);

    /// <summary>The boolean held; throws <see cref="MetadataStoreException"/> (FailedPrecondition) unless <see cref="Kind"/> is <see cref="PropertyKind.Boolean"/>.</summary>
    public bool BooleanValue => Kind == PropertyKind.Boolean ? _int != 0 : throw WrongKind(PropertyKind.Boolean);

    /// <summary>The structure held as compact JSON text; throws <see cref="MetadataStoreException"/> (FailedPrecondition) unless <see cref="Kind"/> is <see cref="PropertyKind.Struct"/>.</summary>
    public string StructJson => Kind == PropertyKind.Struct ? _text! : throw WrongKind(PropertyKind.Struct);

    /// <summary>The type URL of the packed message; throws <see cref="MetadataStoreException"/> (FailedPrecondition) unless <see cref="Kind"/> is <see cref="PropertyKind.Proto"/>.</summary>
    public string ProtoTypeUrl => Kind == PropertyKind.Proto ? _text! : throw WrongKind(PropertyKind.Proto);

    /// <summary>The serialized packed message; throws <see cref="MetadataStoreException"/> (FailedPrecondition) unless <see cref="Kind"/> is <see cref="PropertyKind.Proto"/>.</summary>
    public ReadOnlyMemory<byte> ProtoValue => Kind == PropertyKind.Proto ? _bytes : throw WrongKind(PropertyKind.Proto);

    /// <summary>Parses the structure held into a JSON element.</summary>
    /// <returns>The root JSON object.</returns>
    public JsonElement ToJsonElement()
    {
        using var document = JsonDocument.Parse(StructJson);
        return document.RootElement.Clone();
    }

    /// <summary>Creates an integer value.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator PropertyValue(long value) => FromInt(value);

    /// <summary>Creates an integer value.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator PropertyValue(int value) => FromInt(value);

    /// <summary>Creates a double value.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator PropertyValue(double value) => FromDouble(value);

    /// <summary>Creates a string value.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator PropertyValue(string value) => FromString(value);

    /// <summary>Creates a boolean value.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator PropertyValue(bool value) => FromBoolean(value);

    /// <inheritdoc />
    public bool Equals(PropertyValue? other)
    {
        if (other is null || other.Kind != Kind)
        {
            return false;
        }

        return Kind switch
        {
            PropertyKind.Double => _double.Equals(other._double),
            PropertyKind.Int or PropertyKind.Boolean => _int == other._int,
            PropertyKind.Proto => _text == other._text && _bytes.AsSpan().SequenceEqual(other._bytes),
            _ => _text == other._text,
        };
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PropertyValue);

    /// <inheritdoc />
    public override int GetHashCode() => Kind switch
    {
        PropertyKind.Double => HashCode.Combine(Kind, _double),
        PropertyKind.Int or PropertyKind.Boolean => HashCode.Combine(Kind, _int),
        PropertyKind.Proto => HashCode.Combine(Kind, _text, _bytes!.Length),
        _ => HashCode.Combine(Kind, _text),
    };

    /// <summary>Compares two values by content.</summary>
    /// <param name="left">A value.</param>
    /// <param name="right">Another value.</param>
    /// <returns>Whether they hold the same kind and content.</returns>
    public static bool operator ==(PropertyValue? left, PropertyValue? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two values by content.</summary>
    /// <param name="left">A value.</param>
    /// <param name="right">Another value.</param>
    /// <returns>Whether they differ in kind or content.</returns>
    public static bool operator !=(PropertyValue? left, PropertyValue? right) => !(left == right);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        PropertyKind.Int => _int.ToString(CultureInfo.InvariantCulture),
        PropertyKind.Double => _double.ToString("R", CultureInfo.InvariantCulture),
        PropertyKind.Boolean => _int != 0 ? "true" : "false",
        PropertyKind.Proto => $"proto<{_text}>({_bytes!.Length} bytes)",
        _ => _text ?? string.Empty,
    };

    private MetadataStoreException WrongKind(PropertyKind wanted) =>
        new(MetadataErrorCode.FailedPrecondition, $"The value is of kind {Kind}, not {wanted}.");
}
