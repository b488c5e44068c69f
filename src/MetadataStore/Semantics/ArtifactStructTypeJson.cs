using System.Globalization;
using System.Text.Json;

namespace MetadataStore.Semantics;

/// <summary>
/// Checks an execution type's <c>input_type</c>/<c>output_type</c> text against the JSON form of MLMD's
/// <c>ArtifactStructType</c> message, as protobuf's JSON mapping parses it: MLMD parses these columns on every type
/// read and fails the whole read when one does not parse. The message is a oneof of <c>simple</c> (an
/// <c>ArtifactType</c>), <c>union_type</c> {candidates}, <c>intersection</c> {constraints}, <c>list</c> {element},
/// <c>none</c> {}, <c>any</c> {}, <c>tuple</c> {elements} and <c>dict</c> {properties, none_type_not_required,
/// extra_properties_type}. Field names are accepted in their proto and lowerCamelCase forms; unknown fields, wrong
/// JSON kinds and unknown enum values are refused, as MLMD's parser refuses them.
/// </summary>
internal static class ArtifactStructTypeJson
{
    private enum FieldKind
    {
        StructType,
        StructTypeList,
        StructTypeMap,
        ArtifactType,
        Empty,
        String,
        Int64,
        Bool,
        PropertyTypeMap,
        BaseType,
    }

    private sealed record Field(string ProtoName, string JsonName, FieldKind Kind, bool InOneof = false);

    private static readonly Field[] StructTypeFields =
    [
        new("simple", "simple", FieldKind.ArtifactType, InOneof: true),
        new("union_type", "unionType", FieldKind.Empty, InOneof: true),
        new("intersection", "intersection", FieldKind.Empty, InOneof: true),
        new("list", "list", FieldKind.Empty, InOneof: true),
        new("none", "none", FieldKind.Empty, InOneof: true),
        new("any", "any", FieldKind.Empty, InOneof: true),
        new("tuple", "tuple", FieldKind.Empty, InOneof: true),
        new("dict", "dict", FieldKind.Empty, InOneof: true),
    ];

    private static readonly Dictionary<string, Field[]> KindMessages = new(StringComparer.Ordinal)
    {
        ["union_type"] = [new("candidates", "candidates", FieldKind.StructTypeList)],
        ["intersection"] = [new("constraints", "constraints", FieldKind.StructTypeList)],
        ["list"] = [new("element", "element", FieldKind.StructType)],
        ["none"] = [],
        ["any"] = [],
        ["tuple"] = [new("elements", "elements", FieldKind.StructTypeList)],
        ["dict"] =
        [
            new("properties", "properties", FieldKind.StructTypeMap),
            new("none_type_not_required", "noneTypeNotRequired", FieldKind.Bool),
            new("extra_properties_type", "extraPropertiesType", FieldKind.StructType),
        ],
    };

    private static readonly Field[] ArtifactTypeFields =
    [
        new("id", "id", FieldKind.Int64),
        new("name", "name", FieldKind.String),
        new("version", "version", FieldKind.String),
        new("description", "description", FieldKind.String),
        new("external_id", "externalId", FieldKind.String),
        new("properties", "properties", FieldKind.PropertyTypeMap),
        new("base_type", "baseType", FieldKind.BaseType),
    ];

    // ml_metadata.PropertyType and ArtifactType.SystemDefinedBaseType: closed enums, by name or number.
    private static readonly string[] PropertyTypeNames = ["UNKNOWN", "INT", "DOUBLE", "STRING", "STRUCT", "PROTO", "BOOLEAN"];
    private static readonly string[] BaseTypeNames = ["UNSET", "DATASET", "MODEL", "METRICS", "STATISTICS"];

    /// <summary>Throws InvalidArgument unless the text is empty (unset) or an ArtifactStructType in JSON.</summary>
    public static void Check(string? json, string what)
    {
        if (string.IsNullOrEmpty(json))
        {
            return;
        }

        Utf16Text.Require(json, $"The execution type's {what}");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw Invalid(what, "$", $"the text is not JSON ({ex.Message})");
        }

        using (document)
        {
            CheckStructType(document.RootElement, what, "$");
        }
    }

    private static void CheckStructType(JsonElement element, string what, string path)
    {
        var kinds = CheckMessage(element, StructTypeFields, what, path, "ArtifactStructType");
        foreach (var (field, value) in kinds)
        {
            var at = path + "." + field.JsonName;
            if (field.Kind == FieldKind.ArtifactType)
            {
                CheckMessage(value, ArtifactTypeFields, what, at, "ArtifactType");
            }
            else
            {
                CheckMessage(value, KindMessages[field.ProtoName], what, at, field.ProtoName + " struct type");
            }
        }
    }

    /// <summary>Checks one JSON object against a message's fields; returns the message-valued fields present, for the caller to descend.</summary>
    private static List<(Field Field, JsonElement Value)> CheckMessage(JsonElement element, Field[] fields, string what, string path, string message)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(what, path, $"an {message} is a JSON object, not {Describe(element)}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var nested = new List<(Field, JsonElement)>();
        string? oneof = null;
        foreach (var property in element.EnumerateObject())
        {
            var field = Array.Find(fields, f => f.ProtoName == property.Name || f.JsonName == property.Name)
                ?? throw Invalid(what, path, $"an {message} has no field '{property.Name}'");
            if (!seen.Add(field.ProtoName))
            {
                throw Invalid(what, path, $"field '{property.Name}' is given more than once");
            }

            if (field.InOneof)
            {
                if (oneof is not null)
                {
                    throw Invalid(what, path, $"an {message} is one of its kinds; both '{oneof}' and '{property.Name}' are given");
                }

                oneof = property.Name;
            }

            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                // Protobuf's JSON mapping reads null as the field left unset.
                continue;
            }

            var at = path + "." + property.Name;
            switch (field.Kind)
            {
                case FieldKind.StructType:
                    CheckStructType(value, what, at);
                    break;
                case FieldKind.StructTypeList:
                    RequireKind(value, JsonValueKind.Array, what, at, "a list");
                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        CheckStructType(item, what, $"{at}[{i++}]");
                    }

                    break;
                case FieldKind.StructTypeMap:
                    RequireKind(value, JsonValueKind.Object, what, at, "a map (JSON object)");
                    foreach (var entry in value.EnumerateObject())
                    {
                        CheckStructType(entry.Value, what, $"{at}['{entry.Name}']");
                    }

                    break;
                case FieldKind.PropertyTypeMap:
                    RequireKind(value, JsonValueKind.Object, what, at, "a map (JSON object)");
                    foreach (var entry in value.EnumerateObject())
                    {
                        CheckEnum(entry.Value, PropertyTypeNames, what, $"{at}['{entry.Name}']", "PropertyType");
                    }

                    break;
                case FieldKind.ArtifactType:
                case FieldKind.Empty:
                    nested.Add((field, value));
                    break;
                case FieldKind.String:
                    RequireKind(value, JsonValueKind.String, what, at, "a string");
                    break;
                case FieldKind.Bool:
                    if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        throw Invalid(what, at, $"expected true or false, found {Describe(value)}");
                    }

                    break;
                case FieldKind.Int64:
                    CheckInt64(value, what, at);
                    break;
                case FieldKind.BaseType:
                    CheckEnum(value, BaseTypeNames, what, at, "SystemDefinedBaseType");
                    break;
            }
        }

        return nested;
    }

    private static void CheckInt64(JsonElement value, string what, string path)
    {
        var ok = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out _) || (value.TryGetDouble(out var d) && d == Math.Floor(d) && d >= long.MinValue && d < long.MaxValue),
            JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            _ => false,
        };
        if (!ok)
        {
            throw Invalid(what, path, $"expected a 64-bit integer (a number or a string of digits), found {Describe(value)}");
        }
    }

    private static void CheckEnum(JsonElement value, string[] names, string what, string path, string enumName)
    {
        var ok = value.ValueKind switch
        {
            JsonValueKind.String => Array.IndexOf(names, value.GetString()) >= 0,
            JsonValueKind.Number => value.TryGetInt32(out var n) && n >= 0 && n < names.Length,
            _ => false,
        };
        if (!ok)
        {
            throw Invalid(what, path, $"expected a {enumName} ({string.Join(", ", names)} or its number), found {Describe(value)}");
        }
    }

    private static void RequireKind(JsonElement value, JsonValueKind kind, string what, string path, string expected)
    {
        if (value.ValueKind != kind)
        {
            throw Invalid(what, path, $"expected {expected}, found {Describe(value)}");
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static MetadataStoreException Invalid(string what, string path, string problem) =>
        Errors.InvalidArgument($"The execution type's {what} is not an ArtifactStructType in protobuf JSON form, as MLMD reads it: at {path}, {problem}.");
}
