using System.Globalization;
using System.Text.Json;

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

    /// <summary>Creates a double value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The property value.</returns>
    public static PropertyValue FromDouble(double value) => new(PropertyKind.Double, 0, value, null, null);

    /// <summary>Creates a string value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The property value.</returns>
    public static PropertyValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(PropertyKind.String, 0, 0, value, null);
    }

    /// <summary>Creates a boolean value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The property value.</returns>
    public static PropertyValue FromBoolean(bool value) => new(PropertyKind.Boolean, value ? 1 : 0, 0, null, null);

    /// <summary>Creates a structure value from JSON text whose root is an object.</summary>
    /// <param name="json">A JSON object, such as <c>{"layers": [64, 32], "activation": "relu"}</c>.</param>
    /// <returns>The property value, holding the JSON in compact form.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when the text is not a JSON object.</exception>
    public static PropertyValue FromStructJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return FromStruct(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"A struct value must be a JSON object: {ex.Message}", ex);
        }
    }

    /// <summary>Creates a structure value from a JSON element whose kind is an object.</summary>
    /// <param name="element">A JSON object.</param>
    /// <returns>The property value, holding the JSON in compact form.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when the element is not an object.</exception>
    public static PropertyValue FromStruct(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"A struct value must be a JSON object, not {element.ValueKind}.");
        }

        return new(PropertyKind.Struct, 0, 0, JsonSerializer.Serialize(element), null);
    }

    /// <summary>Creates a packed protocol buffer value (a <c>google.protobuf.Any</c>).</summary>
    /// <param name="typeUrl">The message's type URL, such as <c>type.googleapis.com/my.package.Message</c>.</param>
    /// <param name="value">The serialized message.</param>
    /// <returns>The property value, holding a copy of the bytes.</returns>
    public static PropertyValue FromProto(string typeUrl, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(typeUrl);
        return new(PropertyKind.Proto, 0, 0, typeUrl, value.ToArray());
    }

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
