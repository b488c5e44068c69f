using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace MetadataStore.Storage;

/// <summary>
/// Just enough of the protocol buffer wire format to read and write <c>google.protobuf.Struct</c> (as JSON) and
/// <c>google.protobuf.Any</c>, the two message kinds MLMD stores in property rows.
/// </summary>
internal static class ProtobufCodec
{
    // Wire types.
    private const int Varint = 0;
    private const int Fixed64 = 1;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;

    /// <summary>
    /// The deepest nesting of objects and arrays a struct value may have, the root object being level 1. Each JSON
    /// level costs up to three nested messages (Struct, map entry, Value), and protobuf parsers, MLMD's among them,
    /// stop at 100 nested messages: 32 levels stay readable by every MLMD client.
    /// </summary>
    public const int MaxStructDepth = 32;

    /// <summary>Parses JSON text that should hold a struct value, refusing nesting beyond <see cref="MaxStructDepth"/>.</summary>
    /// <exception cref="MetadataStoreException">InvalidArgument when the text is not JSON or nests too deeply.</exception>
    public static JsonDocument ParseStructJson(string json)
    {
        if (!Utf16Text.IsValid(json))
        {
            throw Utf16Text.Invalid("The struct value's JSON text", json);
        }

        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxStructDepth });
        }
        catch (JsonException ex)
        {
            throw new MetadataStoreException(
                MetadataErrorCode.InvalidArgument,
                $"A struct value must be a JSON object nested at most {MaxStructDepth} levels deep: {ex.Message}",
                ex);
        }
    }

    /// <summary>Serializes JSON text holding an object as a <c>google.protobuf.Struct</c>.</summary>
    /// <exception cref="MetadataStoreException">InvalidArgument when the text is no struct value (see <see cref="StructFromJson(JsonElement)"/>).</exception>
    public static byte[] StructFromJson(string json)
    {
        using var document = ParseStructJson(json);
        return StructFromJson(document.RootElement);
    }

    /// <summary>
    /// Serializes a JSON object as a <c>google.protobuf.Struct</c> with its keys in ordinal order, so equal content
    /// gives equal bytes.
    /// </summary>
    /// <exception cref="MetadataStoreException">
    /// InvalidArgument when the element is not an object, nests deeper than <see cref="MaxStructDepth"/>, repeats a key,
    /// holds a number that is not a finite double, or holds text that is not valid UTF-16.
    /// </exception>
    public static byte[] StructFromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"A struct value must be a JSON object, not {root.ValueKind}.");
        }

        var writer = new ArrayBufferWriter<byte>(256);
        WriteStructFields(writer, root, 1);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Parses a serialized <c>google.protobuf.Struct</c> into compact JSON text, keys in ordinal order.</summary>
    /// <exception cref="FormatException">The bytes are not a valid Struct, or nest deeper than <see cref="MaxStructDepth"/>.</exception>
    public static string StructToJson(ReadOnlySpan<byte> data)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(64, data.Length * 2));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ReadStruct(data, writer, 1);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Serializes a <c>google.protobuf.Any</c> (type_url = 1, value = 2).</summary>
    public static byte[] AnyToBytes(string typeUrl, ReadOnlySpan<byte> value)
    {
        var writer = new ArrayBufferWriter<byte>(typeUrl.Length + value.Length + 16);
        if (typeUrl.Length > 0)
        {
            WriteString(writer, 1, typeUrl);
        }

        if (!value.IsEmpty)
        {
            WriteBytes(writer, 2, value);
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Parses a serialized <c>google.protobuf.Any</c>.</summary>
    /// <exception cref="FormatException">The bytes are not a valid Any.</exception>
    public static (string TypeUrl, byte[] Value) AnyFromBytes(ReadOnlySpan<byte> data)
    {
        var typeUrl = string.Empty;
        var value = Array.Empty<byte>();
        var reader = new WireReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1 && wireType == LengthDelimited)
            {
                typeUrl = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
            }
            else if (field == 2 && wireType == LengthDelimited)
            {
                value = reader.ReadLengthDelimited().ToArray();
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return (typeUrl, value);
    }

    private static void WriteStructFields(ArrayBufferWriter<byte> writer, JsonElement obj, int level)
    {
        CheckWriteDepth(level);
        var fields = new List<(string Name, JsonElement Value)>();
        foreach (var property in obj.EnumerateObject())
        {
            fields.Add((ReadText(property, static p => p.Name, "A struct key"), property.Value));
        }

        fields.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (var i = 0; i < fields.Count; i++)
        {
            var (name, value) = fields[i];
            if (i > 0 && fields[i - 1].Name == name)
            {
                throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"A struct value has the key '{name}' more than once in one object.");
            }

            // Struct.fields is map<string, Value>: each entry is a message { key = 1; value = 2; }.
            var entry = new ArrayBufferWriter<byte>(64);
            WriteString(entry, 1, name);
            var valueBytes = new ArrayBufferWriter<byte>(32);
            WriteValue(valueBytes, value, level);
            WriteBytes(entry, 2, valueBytes.WrittenSpan);
            WriteBytes(writer, 1, entry.WrittenSpan);
        }
    }

    /// <summary>Writes a Value found inside a container at <paramref name="level"/>.</summary>
    private static void WriteValue(ArrayBufferWriter<byte> writer, JsonElement element, int level)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                WriteTag(writer, 1, Varint);
                WriteVarint(writer, 0);
                break;
            case JsonValueKind.Number:
                if (!element.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    throw new MetadataStoreException(
                        MetadataErrorCode.InvalidArgument,
                        $"A struct value holds the number {element.GetRawText()}, which is not a finite double (the largest magnitude is {double.MaxValue.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}).");
                }

                WriteTag(writer, 2, Fixed64);
                BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), BitConverter.DoubleToInt64Bits(number == 0 ? 0d : number));
                writer.Advance(8);
                break;
            case JsonValueKind.String:
                WriteString(writer, 3, ReadText(element, static e => e.GetString()!, "A struct string"));
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                WriteTag(writer, 4, Varint);
                WriteVarint(writer, element.ValueKind == JsonValueKind.True ? 1UL : 0UL);
                break;
            case JsonValueKind.Object:
                var nested = new ArrayBufferWriter<byte>(64);
                WriteStructFields(nested, element, level + 1);
                WriteBytes(writer, 5, nested.WrittenSpan);
                break;
            case JsonValueKind.Array:
                // ListValue { repeated Value values = 1; }
                CheckWriteDepth(level + 1);
                var list = new ArrayBufferWriter<byte>(64);
                foreach (var item in element.EnumerateArray())
                {
                    var itemBytes = new ArrayBufferWriter<byte>(32);
                    WriteValue(itemBytes, item, level + 1);
                    WriteBytes(list, 1, itemBytes.WrittenSpan);
                }

                WriteBytes(writer, 6, list.WrittenSpan);
                break;
            default:
                throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"A struct value cannot hold a JSON {element.ValueKind}.");
        }
    }

    /// <summary>Reads a key or string of a JSON element; an escaped lone surrogate is refused, not replaced.</summary>
    private static string ReadText<T>(T source, Func<T, string> read, string what)
    {
        string text;
        try
        {
            text = read(source);
        }
        catch (InvalidOperationException ex)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"{what} is not valid UTF-16: {ex.Message}", ex);
        }

        Utf16Text.Require(text, what);
        return text;
    }

    private static void CheckWriteDepth(int level)
    {
        if (level > MaxStructDepth)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"A struct value may nest objects and arrays at most {MaxStructDepth} levels deep.");
        }
    }

    private static void ReadStruct(ReadOnlySpan<byte> data, Utf8JsonWriter writer, int level)
    {
        CheckReadDepth(level);
        var entries = new List<(string Key, int Order, int Start, int Length)>();
        var reader = new WireReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field != 1 || wireType != LengthDelimited)
            {
                reader.Skip(wireType);
                continue;
            }

            var entry = new WireReader(reader.ReadLengthDelimited());
            var key = string.Empty;
            int start = -1, length = 0;
            while (entry.TryReadTag(out var entryField, out var entryWireType))
            {
                if (entryField == 1 && entryWireType == LengthDelimited)
                {
                    key = Encoding.UTF8.GetString(entry.ReadLengthDelimited());
                }
                else if (entryField == 2 && entryWireType == LengthDelimited)
                {
                    var value = entry.ReadLengthDelimited();
                    data.Overlaps(value, out start);
                    length = value.Length;
                }
                else
                {
                    entry.Skip(entryWireType);
                }
            }

            entries.Add((key, entries.Count, start, length));
        }

        // Keys in ordinal order; a repeated key keeps its last value, as protobuf's map parsing does.
        entries.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key) is var c && c != 0 ? c : a.Order.CompareTo(b.Order));
        writer.WriteStartObject();
        for (var i = 0; i < entries.Count; i++)
        {
            var (key, _, start, length) = entries[i];
            if (i + 1 < entries.Count && entries[i + 1].Key == key)
            {
                continue;
            }

            writer.WritePropertyName(key);
            if (start >= 0)
            {
                ReadValue(data.Slice(start, length), writer, level);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads a Value found inside a container at <paramref name="level"/>.</summary>
    private static void ReadValue(ReadOnlySpan<byte> data, Utf8JsonWriter writer, int level)
    {
        var reader = new WireReader(data);

        // A oneof: the last field seen wins, as protobuf parsers do.
        var kind = 0;
        ulong scalar = 0;
        ReadOnlySpan<byte> payload = default;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1 when wireType == Varint:
                case 4 when wireType == Varint:
                    scalar = reader.ReadVarint();
                    kind = field;
                    break;
                case 2 when wireType == Fixed64:
                    scalar = reader.ReadFixed64();
                    kind = field;
                    break;
                case 3 when wireType == LengthDelimited:
                case 5 when wireType == LengthDelimited:
                case 6 when wireType == LengthDelimited:
                    payload = reader.ReadLengthDelimited();
                    kind = field;
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        switch (kind)
        {
            case 2:
                var number = BitConverter.Int64BitsToDouble((long)scalar);
                if (double.IsFinite(number))
                {
                    writer.WriteNumberValue(number);
                }
                else
                {
                    // Only another writer can store these. JSON has no NaN or infinity; protobuf's JSON mapping spells them as strings.
                    writer.WriteStringValue(double.IsNaN(number) ? "NaN" : number > 0 ? "Infinity" : "-Infinity");
                }

                break;
            case 3:
                writer.WriteStringValue(Encoding.UTF8.GetString(payload));
                break;
            case 4:
                writer.WriteBooleanValue(scalar != 0);
                break;
            case 5:
                ReadStruct(payload, writer, level + 1);
                break;
            case 6:
                CheckReadDepth(level + 1);
                writer.WriteStartArray();
                var list = new WireReader(payload);
                while (list.TryReadTag(out var field, out var wireType))
                {
                    if (field == 1 && wireType == LengthDelimited)
                    {
                        ReadValue(list.ReadLengthDelimited(), writer, level + 1);
                    }
                    else
                    {
                        list.Skip(wireType);
                    }
                }

                writer.WriteEndArray();
                break;
            default:
                // null_value, or a Value with no kind set.
                writer.WriteNullValue();
                break;
        }
    }

    private static void CheckReadDepth(int level)
    {
        if (level > MaxStructDepth)
        {
            throw new FormatException($"The struct nests objects and arrays more than {MaxStructDepth} levels deep.");
        }
    }

    private static void WriteTag(ArrayBufferWriter<byte> writer, int field, int wireType) =>
        WriteVarint(writer, (ulong)((field << 3) | wireType));

    private static void WriteVarint(ArrayBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        writer.Advance(i);
    }

    private static void WriteString(ArrayBufferWriter<byte> writer, int field, string value)
    {
        WriteTag(writer, field, LengthDelimited);
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint(writer, (ulong)length);
        Encoding.UTF8.GetBytes(value, writer.GetSpan(length));
        writer.Advance(length);
    }

    private static void WriteBytes(ArrayBufferWriter<byte> writer, int field, ReadOnlySpan<byte> value)
    {
        WriteTag(writer, field, LengthDelimited);
        WriteVarint(writer, (ulong)value.Length);
        writer.Write(value);
    }

    private ref struct WireReader
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _position;

        public WireReader(ReadOnlySpan<byte> data)
        {
            _data = data;
            _position = 0;
        }

        public bool TryReadTag(out int field, out int wireType)
        {
            if (_position >= _data.Length)
            {
                field = 0;
                wireType = 0;
                return false;
            }

            var tag = ReadVarint();
            field = (int)(tag >> 3);
            wireType = (int)(tag & 7);
            if (field == 0)
            {
                throw new FormatException("A protobuf field number is 0.");
            }

            return true;
        }

        public ulong ReadVarint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_position >= _data.Length)
                {
                    throw new FormatException("A protobuf varint is truncated.");
                }

                var b = _data[_position++];
                result |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return result;
                }
            }

            throw new FormatException("A protobuf varint is too long.");
        }

        public ulong ReadFixed64()
        {
            var span = Take(8);
            return BinaryPrimitives.ReadUInt64LittleEndian(span);
        }

        public ReadOnlySpan<byte> ReadLengthDelimited()
        {
            var length = ReadVarint();
            if (length > (ulong)(_data.Length - _position))
            {
                throw new FormatException("A protobuf length-delimited field runs past the end of the data.");
            }

            return Take((int)length);
        }

        public void Skip(int wireType)
        {
            switch (wireType)
            {
                case Varint:
                    ReadVarint();
                    break;
                case Fixed64:
                    Take(8);
                    break;
                case LengthDelimited:
                    ReadLengthDelimited();
                    break;
                case Fixed32:
                    Take(4);
                    break;
                default:
                    throw new FormatException($"Unsupported protobuf wire type {wireType}.");
            }
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > _data.Length - _position)
            {
                throw new FormatException("A protobuf field is truncated.");
            }

            var span = _data.Slice(_position, count);
            _position += count;
            return span;
        }
    }
}
