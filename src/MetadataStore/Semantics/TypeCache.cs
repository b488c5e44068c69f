using System.Collections.Concurrent;
using MetadataStore.Storage;

namespace MetadataStore.Semantics;

/// <summary>
/// The types one store has read in committed transactions, shared by all its calls so a write need not re-read
/// the types of its nodes. Types are never deleted and only evolve additively (properties, an external id, a base
/// type), so an entry can only lack properties another writer added since; <see cref="NodeWriter"/> re-reads a type
/// inside its transaction before rejecting a property on a cached record. Records put here are never mutated.
/// </summary>
internal sealed class TypeCache
{
    private readonly ConcurrentDictionary<long, TypeRecord> _byId = new();
    private readonly ConcurrentDictionary<(TypeKind Kind, string Name), long> _idByName = new();

    public TypeRecord? Find(TypeKind kind, long id) =>
        _byId.TryGetValue(id, out var type) && type.Kind == kind ? type : null;

    public TypeRecord? Find(TypeKind kind, string name) =>
        _idByName.TryGetValue((kind, name), out var id) ? Find(kind, id) : null;

    /// <summary>Adds types read by a transaction that has committed.</summary>
    public void Add(IEnumerable<TypeRecord> types)
    {
        foreach (var type in types)
        {
            _byId[type.Id] = type;
            if (type.Version is null)
            {
                // An unversioned (kind, name) is unique and never deleted, so the name keeps its id.
                _idByName[(type.Kind, type.Name)] = type.Id;
            }
        }
    }

    /// <summary>Drops a type a committed call may have changed; the next use reads it again.</summary>
    public void Remove(long id) => _byId.TryRemove(id, out _);
}
