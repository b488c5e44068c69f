using System.Buffers;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MetadataStore.Lineage;

/// <summary>
/// The JSON shape of a lineage graph (<c>"format": "metadatastore.lineage/1"</c>), read back into an equal graph.
/// Top-level arrays: <c>nodes</c> (<c>{"kind": "artifact"|"execution", "id", "hop"}</c>), <c>artifacts</c>,
/// <c>executions</c>, <c>contexts</c> (each <c>{"id", "typeId", "type", "name", "externalId", "uri"</c> (artifacts),
/// <c>"state"</c> (artifacts and executions, by enum name), <c>"createTime", "lastUpdateTime"</c> (milliseconds since
/// the Unix epoch), <c>"properties", "customProperties"}</c>), <c>events</c> (<c>{"artifactId", "executionId", "type",
/// "path", "time"}</c>, a path step being a string key or an integer index), <c>attributions</c>
/// (<c>{"contextId", "artifactId"}</c>), <c>associations</c> (<c>{"contextId", "executionId"}</c>), and
/// <c>artifactTypes</c>, <c>executionTypes</c>, <c>contextTypes</c> (<c>{"id", "name", "version", "description",
/// "externalId", "baseType", "inputType", "outputType", "properties": {"name": "Int"|"Double"|...}}</c>). A property
/// value is an object with one member naming its kind: <c>{"int": 1}</c>, <c>{"double": 0.5}</c> (or the strings
/// <c>"Infinity"</c>, <c>"-Infinity"</c>), <c>{"string": "x"}</c>, <c>{"bool": true}</c>,
/// <c>{"struct": {...}}</c>, <c>{"proto": {"typeUrl": "...", "value": "base64"}}</c>. Members without a value are left out.
/// </summary>
public static class LineageJson
{
    /// <summary>The value of the <c>format</c> member.</summary>
    public const string Format = "metadatastore.lineage/1";

    /// <summary>Writes a graph.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="indented">Indent the text.</param>
    /// <returns>The JSON text.</returns>
    public static string Write(LineageGraph graph, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteStartArray("nodes");
            foreach (var node in graph.Nodes)
            {
                w.WriteStartObject();
                w.WriteString("kind", node.IsArtifact ? "artifact" : "execution");
                w.WriteNumber("id", node.Id);
                w.WriteNumber("hop", graph.Hops[node]);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteNodes(w, "artifacts", graph.Artifacts);
            WriteNodes(w, "executions", graph.Executions);
            WriteNodes(w, "contexts", graph.Contexts);
            w.WriteStartArray("events");
            foreach (var e in graph.Events)
            {
                w.WriteStartObject();
                WriteNumber(w, "artifactId", e.ArtifactId);
                WriteNumber(w, "executionId", e.ExecutionId);
                w.WriteString("type", e.Type.ToString());
                w.WriteStartArray("path");
                foreach (var step in e.Path)
                {
                    if (step.IsIndex)
                    {
                        w.WriteNumberValue(step.Index!.Value);
                    }
                    else
                    {
                        w.WriteStringValue(step.Key);
                    }
                }

                w.WriteEndArray();
                WriteNumber(w, "time", e.Time?.ToUnixTimeMilliseconds());
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("attributions");
            foreach (var a in graph.Attributions)
            {
                w.WriteStartObject();
                w.WriteNumber("contextId", a.ContextId);
                w.WriteNumber("artifactId", a.ArtifactId);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("associations");
            foreach (var a in graph.Associations)
            {
                w.WriteStartObject();
                w.WriteNumber("contextId", a.ContextId);
                w.WriteNumber("executionId", a.ExecutionId);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteTypes(w, "artifactTypes", graph.ArtifactTypes);
            WriteTypes(w, "executionTypes", graph.ExecutionTypes);
            WriteTypes(w, "contextTypes", graph.ContextTypes);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a graph written by <see cref="Write"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The graph.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when the text is not a lineage graph in this shape.</exception>
    public static LineageGraph Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.GetString() != Format)
            {
                throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The JSON is not a lineage graph: its \"format\" member must be \"{Format}\".");
            }

            var hops = new Dictionary<LineageNodeId, int>();
            foreach (var n in Array(root, "nodes"))
            {
                var kind = n.GetProperty("kind").GetString() switch
                {
                    "artifact" => LineageNodeKind.Artifact,
                    "execution" => LineageNodeKind.Execution,
                    var other => throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"Unknown node kind \"{other}\"."),
                };
                hops[new LineageNodeId(kind, n.GetProperty("id").GetInt64())] = n.GetProperty("hop").GetInt32();
            }

            var artifacts = Array(root, "artifacts").Select(e => (Artifact)ReadNode(e, 0)).ToList();
            var executions = Array(root, "executions").Select(e => (Execution)ReadNode(e, 1)).ToList();
            var contexts = Array(root, "contexts").Select(e => (Context)ReadNode(e, 2)).ToList();
            var events = Array(root, "events").Select(e => new Event
            {
                ArtifactId = Long(e, "artifactId"),
                ExecutionId = Long(e, "executionId"),
                Type = Enum.Parse<EventType>(e.GetProperty("type").GetString()!),
                Path = e.TryGetProperty("path", out var path)
                    ? path.EnumerateArray().Select(s => s.ValueKind == JsonValueKind.Number ? EventStep.ForIndex(s.GetInt64()) : EventStep.ForKey(s.GetString()!)).ToList()
                    : [],
                Time = Long(e, "time") is long t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : null,
            }).ToList();
            var attributions = Array(root, "attributions").Select(a => new Attribution(a.GetProperty("contextId").GetInt64(), a.GetProperty("artifactId").GetInt64())).ToList();
            var associations = Array(root, "associations").Select(a => new Association(a.GetProperty("contextId").GetInt64(), a.GetProperty("executionId").GetInt64())).ToList();
            var artifactTypes = Array(root, "artifactTypes").Select(t => new ArtifactType(t.GetProperty("name").GetString()!)
            {
                Id = Long(t, "id"),
                Version = String(t, "version"),
                Description = String(t, "description"),
                ExternalId = String(t, "externalId"),
                Properties = TypeProperties(t),
                BaseType = String(t, "baseType") is { } b ? Enum.Parse<ArtifactBaseType>(b) : null,
            }).ToList();
            var executionTypes = Array(root, "executionTypes").Select(t => new ExecutionType(t.GetProperty("name").GetString()!)
            {
                Id = Long(t, "id"),
                Version = String(t, "version"),
                Description = String(t, "description"),
                ExternalId = String(t, "externalId"),
                InputType = String(t, "inputType"),
                OutputType = String(t, "outputType"),
                Properties = TypeProperties(t),
                BaseType = String(t, "baseType") is { } b ? Enum.Parse<ExecutionBaseType>(b) : null,
            }).ToList();
            var contextTypes = Array(root, "contextTypes").Select(t => new ContextType(t.GetProperty("name").GetString()!)
            {
                Id = Long(t, "id"),
                Version = String(t, "version"),
                Description = String(t, "description"),
                ExternalId = String(t, "externalId"),
                Properties = TypeProperties(t),
            }).ToList();
            return new LineageGraph(hops, artifacts, executions, contexts, events, attributions, associations, artifactTypes, executionTypes, contextTypes);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or ArgumentException or FormatException)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The JSON is not a lineage graph: {ex.Message}", ex);
        }
    }

    private static void WriteNodes(Utf8JsonWriter w, string name, IEnumerable<MetadataNode> nodes)
    {
        w.WriteStartArray(name);
        foreach (var n in nodes)
        {
            w.WriteStartObject();
            WriteNumber(w, "id", n.Id);
            WriteNumber(w, "typeId", n.TypeId);
            WriteString(w, "type", n.TypeName);
            WriteString(w, "name", n.Name);
            WriteString(w, "externalId", n.ExternalId);
            switch (n)
            {
                case Artifact a:
                    WriteString(w, "uri", a.Uri);
                    WriteString(w, "state", a.State?.ToString());
                    break;
                case Execution e:
                    WriteString(w, "state", e.LastKnownState?.ToString());
                    break;
            }

            WriteNumber(w, "createTime", n.CreateTime?.ToUnixTimeMilliseconds());
            WriteNumber(w, "lastUpdateTime", n.LastUpdateTime?.ToUnixTimeMilliseconds());
            WriteValues(w, "properties", n.Properties);
            WriteValues(w, "customProperties", n.CustomProperties);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteValues(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, PropertyValue> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        w.WriteStartObject(name);
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(key);
            switch (value.Kind)
            {
                case PropertyKind.Int:
                    w.WriteNumber("int", value.IntValue);
                    break;
                case PropertyKind.Double:
                    var d = value.DoubleValue;
                    if (double.IsFinite(d))
                    {
                        w.WriteNumber("double", d);
                    }
                    else
                    {
                        w.WriteString("double", d.ToString(CultureInfo.InvariantCulture));
                    }

                    break;
                case PropertyKind.String:
                    w.WriteString("string", value.StringValue);
                    break;
                case PropertyKind.Boolean:
                    w.WriteBoolean("bool", value.BooleanValue);
                    break;
                case PropertyKind.Struct:
                    w.WritePropertyName("struct");
                    value.ToJsonElement().WriteTo(w);
                    break;
                case PropertyKind.Proto:
                    w.WriteStartObject("proto");
                    w.WriteString("typeUrl", value.ProtoTypeUrl);
                    w.WriteBase64String("value", value.ProtoValue.Span);
                    w.WriteEndObject();
                    break;
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteTypes(Utf8JsonWriter w, string name, IEnumerable<MetadataType> types)
    {
        w.WriteStartArray(name);
        foreach (var t in types)
        {
            w.WriteStartObject();
            WriteNumber(w, "id", t.Id);
            w.WriteString("name", t.Name);
            WriteString(w, "version", t.Version);
            WriteString(w, "description", t.Description);
            WriteString(w, "externalId", t.ExternalId);
            switch (t)
            {
                case ArtifactType a:
                    WriteString(w, "baseType", a.BaseType?.ToString());
                    break;
                case ExecutionType e:
                    WriteString(w, "baseType", e.BaseType?.ToString());
                    WriteString(w, "inputType", e.InputType);
                    WriteString(w, "outputType", e.OutputType);
                    break;
            }

            w.WriteStartObject("properties");
            foreach (var (key, kind) in t.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WriteString(key, kind.ToString());
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is long v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static void WriteString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static IEnumerable<JsonElement> Array(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) ? array.EnumerateArray() : [];

    private static long? Long(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetInt64() : null;

    private static string? String(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static MetadataNode ReadNode(JsonElement e, int kind)
    {
        var properties = Values(e, "properties");
        var custom = Values(e, "customProperties");
        var created = Long(e, "createTime") is long c ? DateTimeOffset.FromUnixTimeMilliseconds(c) : (DateTimeOffset?)null;
        var updated = Long(e, "lastUpdateTime") is long u ? DateTimeOffset.FromUnixTimeMilliseconds(u) : (DateTimeOffset?)null;
        var state = String(e, "state");
        return kind switch
        {
            0 => new Artifact
            {
                Id = Long(e, "id"), TypeId = Long(e, "typeId"), TypeName = String(e, "type"), Name = String(e, "name"), ExternalId = String(e, "externalId"),
                Uri = String(e, "uri"), State = state is null ? null : Enum.Parse<ArtifactState>(state),
                Properties = properties, CustomProperties = custom, CreateTime = created, LastUpdateTime = updated,
            },
            1 => new Execution
            {
                Id = Long(e, "id"), TypeId = Long(e, "typeId"), TypeName = String(e, "type"), Name = String(e, "name"), ExternalId = String(e, "externalId"),
                LastKnownState = state is null ? null : Enum.Parse<ExecutionState>(state),
                Properties = properties, CustomProperties = custom, CreateTime = created, LastUpdateTime = updated,
            },
            _ => new Context
            {
                Id = Long(e, "id"), TypeId = Long(e, "typeId"), TypeName = String(e, "type"), Name = String(e, "name"), ExternalId = String(e, "externalId"),
                Properties = properties, CustomProperties = custom, CreateTime = created, LastUpdateTime = updated,
            },
        };
    }

    private static IReadOnlyDictionary<string, PropertyValue> Values(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var map))
        {
            return MetadataNode.EmptyValues;
        }

        var values = new Dictionary<string, PropertyValue>(StringComparer.Ordinal);
        foreach (var member in map.EnumerateObject())
        {
            var value = member.Value.EnumerateObject().Single();
            values[member.Name] = value.Name switch
            {
                "int" => PropertyValue.FromInt(value.Value.GetInt64()),
                "double" => PropertyValue.FromDouble(value.Value.ValueKind == JsonValueKind.String
                    ? double.Parse(value.Value.GetString()!, CultureInfo.InvariantCulture)
                    : value.Value.GetDouble()),
                "string" => PropertyValue.FromString(value.Value.GetString()!),
                "bool" => PropertyValue.FromBoolean(value.Value.GetBoolean()),
                "struct" => PropertyValue.FromStruct(value.Value),
                "proto" => PropertyValue.FromProto(value.Value.GetProperty("typeUrl").GetString()!, value.Value.GetProperty("value").GetBytesFromBase64()),
                var other => throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"Unknown property value kind \"{other}\"."),
            };
        }

        return new ReadOnlyDictionary<string, PropertyValue>(values);
    }

    private static IReadOnlyDictionary<string, PropertyKind> TypeProperties(JsonElement t)
    {
        var map = new Dictionary<string, PropertyKind>(StringComparer.Ordinal);
        if (t.TryGetProperty("properties", out var properties))
        {
            foreach (var p in properties.EnumerateObject())
            {
                map[p.Name] = Enum.Parse<PropertyKind>(p.Value.GetString()!);
            }
        }

        return new ReadOnlyDictionary<string, PropertyKind>(map);
    }
}
