using MetadataStore.Storage;

namespace MetadataStore.Semantics;

/// <summary>
/// Refuses, before any storage work, text the store cannot keep exactly: strings with an unpaired surrogate, which
/// UTF-8 storage would silently replace with U+FFFD. Property values check their own text when they are created.
/// </summary>
internal static class TextChecks
{
    /// <summary>The strings a node carries: names, external id, URI, type name and property names.</summary>
    public static void Node(NodeKind kind, MetadataNode node)
    {
        var what = Mapping.KindName(kind);
        Utf16Text.Require(node.Name, $"The {what.ToLowerInvariant()}'s name");
        Utf16Text.Require(node.ExternalId, $"The {what.ToLowerInvariant()}'s external id");
        Utf16Text.Require(node.TypeName, $"The {what.ToLowerInvariant()}'s type name");
        if (node is Artifact artifact)
        {
            Utf16Text.Require(artifact.Uri, "The artifact's URI");
        }

        PropertyNames(node.Properties, $"A property name of the {what.ToLowerInvariant()}");
        PropertyNames(node.CustomProperties, $"A custom property name of the {what.ToLowerInvariant()}");
    }

    /// <summary>The strings a type carries: name, version, description, external id, property names, signatures.</summary>
    public static void Type(MetadataType type)
    {
        var what = Mapping.KindName(type.Kind);
        Utf16Text.Require(type.Name, $"The {what}'s name");
        Utf16Text.Require(type.Version, $"The {what}'s version");
        Utf16Text.Require(type.Description, $"The {what}'s description");
        Utf16Text.Require(type.ExternalId, $"The {what}'s external id");
        if (type.Properties is not null)
        {
            foreach (var name in type.Properties.Keys)
            {
                Utf16Text.Require(name, $"A property name of the {what}");
            }
        }
    }

    /// <summary>The keys of an event's path.</summary>
    public static void Path(IReadOnlyList<EventStep> path)
    {
        foreach (var step in path)
        {
            Utf16Text.Require(step.Key, "An event path key");
        }
    }

    /// <summary>Strings a read looks up: no stored string can hold an unpaired surrogate, and storage would match its replacement.</summary>
    public static void Lookup(IEnumerable<string?> keys, string what)
    {
        foreach (var key in keys)
        {
            Utf16Text.Require(key, what);
        }
    }

    private static void PropertyNames(IReadOnlyDictionary<string, PropertyValue>? properties, string what)
    {
        if (properties is null)
        {
            return;
        }

        foreach (var name in properties.Keys)
        {
            Utf16Text.Require(name, what);
        }
    }
}
