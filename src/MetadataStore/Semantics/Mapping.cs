using System.Collections.ObjectModel;
using MetadataStore.Storage;

namespace MetadataStore.Semantics;

/// <summary>Converts between storage records and the public model.</summary>
internal static class Mapping
{
    private static readonly string[] ArtifactBaseNames = ["", "mlmd.Dataset", "mlmd.Model", "mlmd.Metrics", "mlmd.Statistics"];
    private static readonly string[] ExecutionBaseNames = ["", "mlmd.Train", "mlmd.Transform", "mlmd.Process", "mlmd.Evaluate", "mlmd.Deploy"];

    /// <summary>Whether the type is one of MLMD's system types (an unversioned artifact or execution type named as a base type).</summary>
    public static bool IsSystemType(TypeRecord type) =>
        type.Version is null && type.Kind switch
        {
            TypeKind.Artifact => Array.IndexOf(ArtifactBaseNames, type.Name) > 0,
            TypeKind.Execution => Array.IndexOf(ExecutionBaseNames, type.Name) > 0,
            _ => false,
        };

    public static string KindName(NodeKind kind) => kind switch
    {
        NodeKind.Artifact => "Artifact",
        NodeKind.Execution => "Execution",
        _ => "Context",
    };

    public static string KindName(TypeKind kind) => kind switch
    {
        TypeKind.Artifact => "artifact type",
        TypeKind.Execution => "execution type",
        _ => "context type",
    };

    public static TypeKind TypeKindOf(NodeKind kind) => kind switch
    {
        NodeKind.Artifact => TypeKind.Artifact,
        NodeKind.Execution => TypeKind.Execution,
        _ => TypeKind.Context,
    };

    public static long ToMillis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMillis(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);

    public static string? ArtifactBaseName(ArtifactBaseType baseType) => baseType == ArtifactBaseType.Unset ? null : ArtifactBaseNames[(int)baseType];

    public static string? ExecutionBaseName(ExecutionBaseType baseType) => baseType == ExecutionBaseType.Unset ? null : ExecutionBaseNames[(int)baseType];

    public static MetadataType ToModel(TypeRecord record) => record.Kind switch
    {
        TypeKind.Artifact => new ArtifactType(record.Name)
        {
            Id = record.Id,
            Version = record.Version,
            Description = record.Description,
            ExternalId = record.ExternalId,
            Properties = Freeze(record.Properties),
            BaseType = BaseIndex(ArtifactBaseNames, record.BaseTypeName) is int a ? (ArtifactBaseType)a : null,
        },
        TypeKind.Execution => new ExecutionType(record.Name)
        {
            Id = record.Id,
            Version = record.Version,
            Description = record.Description,
            ExternalId = record.ExternalId,
            InputType = record.InputType,
            OutputType = record.OutputType,
            Properties = Freeze(record.Properties),
            BaseType = BaseIndex(ExecutionBaseNames, record.BaseTypeName) is int e ? (ExecutionBaseType)e : null,
        },
        _ => new ContextType(record.Name)
        {
            Id = record.Id,
            Version = record.Version,
            Description = record.Description,
            ExternalId = record.ExternalId,
            Properties = Freeze(record.Properties),
        },
    };

    public static MetadataNode ToModel(NodeKind kind, NodeRecord record, IReadOnlyDictionary<string, PropertyValue> typedMap, IReadOnlyDictionary<string, PropertyValue> customMap)
    {
        var created = FromMillis(record.CreateTime);
        var updated = FromMillis(record.LastUpdateTime);
        return kind switch
        {
            NodeKind.Artifact => new Artifact
            {
                Id = record.Id,
                TypeId = record.TypeId,
                TypeName = record.TypeName,
                Name = record.Name,
                ExternalId = record.ExternalId,
                Uri = record.Uri,
                State = (ArtifactState?)record.State,
                Properties = typedMap,
                CustomProperties = customMap,
                CreateTime = created,
                LastUpdateTime = updated,
            },
            NodeKind.Execution => new Execution
            {
                Id = record.Id,
                TypeId = record.TypeId,
                TypeName = record.TypeName,
                Name = record.Name,
                ExternalId = record.ExternalId,
                LastKnownState = (ExecutionState?)record.State,
                Properties = typedMap,
                CustomProperties = customMap,
                CreateTime = created,
                LastUpdateTime = updated,
            },
            _ => new Context
            {
                Id = record.Id,
                TypeId = record.TypeId,
                TypeName = record.TypeName,
                Name = record.Name,
                ExternalId = record.ExternalId,
                Properties = typedMap,
                CustomProperties = customMap,
                CreateTime = created,
                LastUpdateTime = updated,
            },
        };
    }

    public static Event ToModel(EventRecord record) => new()
    {
        ArtifactId = record.ArtifactId,
        ExecutionId = record.ExecutionId,
        Type = (EventType)record.Type,
        Path = record.Path,
        Time = record.Time is { } t ? FromMillis(t) : null,
    };

    private static int? BaseIndex(string[] names, string? name)
    {
        var index = name is null ? -1 : Array.IndexOf(names, name);
        return index > 0 ? index : null;
    }

    private static IReadOnlyDictionary<string, PropertyKind> Freeze(IReadOnlyDictionary<string, PropertyKind> map) =>
        map.Count == 0 ? MetadataType.EmptyProperties : new ReadOnlyDictionary<string, PropertyKind>(new Dictionary<string, PropertyKind>(map, StringComparer.Ordinal));
}
