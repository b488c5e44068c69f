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

    // Nesting deeper than this is refused rather than risking a stack overflow on corrupt data.
    private const int MaxDepth = 100;

    /// <summary>Serializes a JSON object as a <c>google.protobuf.Struct</c>.</summary>
    public static byte[] StructFromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, "A struct value must be a JSON object.");
        }

        var writer = new ArrayBufferWriter<byte>(256);
        WriteStructFields(writer, document.RootElement, 0);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Parses a serialized <c>google.protobuf.Struct</c> into compact JSON text.</summary>
    /// <exception cref="FormatException">The bytes are not a valid Struct.</exception>
    public static string StructToJson(ReadOnlySpan<byte> data)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(64, data.Length * 2));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ReadStruct(data, writer, 0);
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

    private static void WriteStructFields(ArrayBufferWriter<byte> writer, JsonElement obj, int depth)
    {
        CheckDepth(depth);
        foreach (var property in obj.EnumerateObject())
        {
            // Struct.fields is map<string, Value>: each entry is a message { key = 1; value = 2; }.
            var entry = new ArrayBufferWriter<byte>(64);
            WriteString(entry, 1, property.Name);
            var value = new ArrayBufferWriter<byte>(32);
            WriteValue(value, property.Value, depth + 1);
            WriteBytes(entry, 2, value.WrittenSpan);
            WriteBytes(writer, 1, entry.WrittenSpan);
        }
    }

    private static void WriteValue(ArrayBufferWriter<byte> writer, JsonElement element, int depth)
    {
        CheckDepth(depth);
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                WriteTag(writer, 1, Varint);
                WriteVarint(writer, 0);
                break;
            case JsonValueKind.Number:
                WriteTag(writer, 2, Fixed64);
                BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), BitConverter.DoubleToInt64Bits(element.GetDouble()));
                writer.Advance(8);
                break;
            case JsonValueKind.String:
                WriteString(writer, 3, element.GetString()!);
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                WriteTag(writer, 4, Varint);
                WriteVarint(writer, element.ValueKind == JsonValueKind.True ? 1UL : 0UL);
                break;
            case JsonValueKind.Object:
                var nested = new ArrayBufferWriter<byte>(64);
                WriteStructFields(nested, element, depth + 1);
                WriteBytes(writer, 5, nested.WrittenSpan);
                break;
            case JsonValueKind.Array:
                // ListValue { repeated Value values = 1; }
                var list = new ArrayBufferWriter<byte>(64);
                foreach (var item in element.EnumerateArray())
                {
                    var itemBytes = new ArrayBufferWriter<byte>(32);
                    WriteValue(itemBytes, item, depth + 1);
                    WriteBytes(list, 1, itemBytes.WrittenSpan);
                }

                WriteBytes(writer, 6, list.WrittenSpan);
                break;
            default:
                throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"A struct value cannot hold a JSON {element.ValueKind}.");
        }
    }

    private static void ReadStruct(ReadOnlySpan<byte> data, Utf8JsonWriter writer, int depth)
    {
        CheckDepth(depth);
        writer.WriteStartObject();
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
            ReadOnlySpan<byte> value = default;
            var hasValue = false;
            while (entry.TryReadTag(out var entryField, out var entryWireType))
            {
                if (entryField == 1 && entryWireType == LengthDelimited)
                {
                    key = Encoding.UTF8.GetString(entry.ReadLengthDelimited());
                }
                else if (entryField == 2 && entryWireType == LengthDelimited)
                {
                    value = entry.ReadLengthDelimited();
                    hasValue = true;
                }
                else
                {
                    entry.Skip(entryWireType);
                }
            }

            writer.WritePropertyName(key);
            if (hasValue)
            {
                ReadValue(value, writer, depth + 1);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndObject();
    }

    private static void ReadValue(ReadOnlySpan<byte> data, Utf8JsonWriter writer, int depth)
    {
        CheckDepth(depth);
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
                    // JSON has no NaN or infinity; protobuf's JSON mapping spells them as strings.
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
                ReadStruct(payload, writer, depth + 1);
                break;
            case 6:
                writer.WriteStartArray();
                var list = new WireReader(payload);
                while (list.TryReadTag(out var field, out var wireType))
                {
                    if (field == 1 && wireType == LengthDelimited)
                    {
                        ReadValue(list.ReadLengthDelimited(), writer, depth + 1);
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

    private static void CheckDepth(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException($"The struct is nested more than {MaxDepth} levels deep.");
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
