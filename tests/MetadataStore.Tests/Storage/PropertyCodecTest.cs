using FluentAssertions;
using MetadataStore.Semantics;
using MetadataStore.Storage;
using Xunit;

namespace MetadataStore.Tests.Storage;

public sealed class PropertyCodecTest
{
    [Fact]
    public void DecodeText_reads_struct_when_bytes_built_by_hand()
    {
        var value = PropertyCodec.DecodeText("mlmd-struct::" + Convert.ToBase64String(MlmdWrittenDatabase.StructBytes));

        value.StructJson.Should().Be(MlmdWrittenDatabase.StructJson);
    }

    [Fact]
    public void EncodeText_writes_protobuf_bytes_mlmd_reads_when_struct_simple()
    {
        var text = PropertyCodec.EncodeText(PropertyValue.FromStructJson(MlmdWrittenDatabase.StructJson));

        text.Should().Be("mlmd-struct::" + Convert.ToBase64String(MlmdWrittenDatabase.StructBytes));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"a":1,"b":-2.5,"c":1E-09,"d":0.1234567}""")]
    [InlineData("""{"nested":{"deeper":{"list":[1,"two",false,null,{"x":[]}]}},"empty":"","uni":"\u00E9\u4E2D"}""")]
    public void EncodeText_round_trips_when_struct(string json)
    {
        var value = PropertyValue.FromStructJson(json);

        var decoded = PropertyCodec.DecodeText(PropertyCodec.EncodeText(value));

        decoded.Kind.Should().Be(PropertyKind.Struct);
        decoded.Should().Be(PropertyValue.FromStructJson(decoded.StructJson));
        Normalize(decoded.StructJson).Should().Be(Normalize(value.StructJson));
    }

    [Fact]
    public void DecodeText_returns_string_when_no_struct_prefix()
    {
        PropertyCodec.DecodeText("mlmd-structure").Should().Be(PropertyValue.FromString("mlmd-structure"));
    }

    [Theory]
    [InlineData("mlmd-struct::notreally")]
    [InlineData("mlmd-struct::Cn8B")]
    public void DecodeText_returns_string_when_prefixed_text_is_no_struct(string text)
    {
        // "Cn8B" is base64 of a truncated protobuf field.
        PropertyCodec.DecodeText(text).Should().Be(PropertyValue.FromString(text));
    }

    [Fact]
    public void ToStored_writes_any_bytes_to_proto_column_when_proto()
    {
        var value = PropertyValue.FromProto(MlmdWrittenDatabase.ProtoTypeUrl, MlmdWrittenDatabase.ProtoMessage);

        var stored = PropertyCodec.ToStored(value);

        stored.Column.Should().Be(PropertyColumn.Proto);
        stored.Proto.Should().Equal(MlmdWrittenDatabase.AnyBytes());
        PropertyCodec.FromStored(stored, "p", NodeKind.Artifact, 1).Should().Be(value);
    }

    [Fact]
    public void FromStored_takes_first_column_in_mlmd_order_when_several_set()
    {
        var stored = new StoredValue(Double: 2.5, String: "text", Bool: true);

        PropertyCodec.FromStored(stored, "p", NodeKind.Artifact, 1).Should().Be(PropertyValue.FromDouble(2.5));
    }

    [Fact]
    public void FromStored_throws_DataLoss_naming_property_when_no_column_set()
    {
        var act = () => PropertyCodec.FromStored(default, "p", NodeKind.Execution, 7);

        act.Should().Throw<MetadataStoreException>().Where(e => e.ErrorCode == MetadataErrorCode.DataLoss && e.Message.Contains("'p'") && e.Message.Contains("Execution 7"));
    }

    [Fact]
    public void DecodeProtoBytes_throws_DataLoss_when_type_url_empty()
    {
        var act = () => PropertyCodec.DecodeProtoBytes([0x12, 0x01, 0x00]);

        act.Should().Throw<MetadataStoreException>().Which.ErrorCode.Should().Be(MetadataErrorCode.DataLoss);
    }

    [Fact]
    public void EncodeProtoBytes_round_trips_when_value_large()
    {
        var payload = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray();
        var value = PropertyValue.FromProto("type.googleapis.com/x.Big", payload);

        PropertyCodec.DecodeProtoBytes(PropertyCodec.EncodeProtoBytes(value)).Should().Be(value);
    }

    private static string Normalize(string json)
    {
        // Numbers come back as doubles: compare through a parse so that 1 and 1.0 agree.
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return System.Text.Json.JsonSerializer.Serialize(Walk(document.RootElement));

        static object? Walk(System.Text.Json.JsonElement e) => e.ValueKind switch
        {
            System.Text.Json.JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => Walk(p.Value)),
            System.Text.Json.JsonValueKind.Array => e.EnumerateArray().Select(Walk).ToList(),
            System.Text.Json.JsonValueKind.Number => e.GetDouble(),
            System.Text.Json.JsonValueKind.String => e.GetString(),
            System.Text.Json.JsonValueKind.True => true,
            System.Text.Json.JsonValueKind.False => false,
            _ => null,
        };
    }
}
