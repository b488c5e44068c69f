using System.Reflection;
using System.Text.Json;
using Microsoft.ML.Data;

namespace MetadataStore.MLNet;

/// <summary>A column whose type a stage changed.</summary>
internal sealed record RetypedColumn(string Name, string From, string To);

/// <summary>What one stage does to the schema: the columns it adds, removes and retypes.</summary>
internal sealed record SchemaChange(IReadOnlyList<(string Name, string Type)> Added, IReadOnlyList<string> Removed, IReadOnlyList<RetypedColumn> Retyped)
{
    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["added"] = Added.Select(c => new Dictionary<string, string> { ["name"] = c.Name, ["type"] = c.Type }).ToList(),
        ["removed"] = Removed,
        ["retyped"] = Retyped.Select(c => new Dictionary<string, string> { ["name"] = c.Name, ["from"] = c.From, ["to"] = c.To }).ToList(),
    });
}

/// <summary>
/// Replays a pipeline's schema propagation stage by stage, as ML.NET does before fitting: each estimator's
/// <c>GetOutputSchema</c> on the shape the stage before it produced, and compares the column sets.
/// </summary>
internal static class SchemaReplay
{
    /// <summary>One change per stage, in order. Throws what ML.NET throws when a stage cannot accept its input.</summary>
    public static IReadOnlyList<SchemaChange> Replay(IReadOnlyList<EstimatorStage> stages, DataViewSchema input)
    {
        var shape = Shape(input);
        var changes = new List<SchemaChange>(stages.Count);
        foreach (var stage in stages)
        {
            var next = ((IEstimator<ITransformer>)stage.Estimator).GetOutputSchema(shape);
            changes.Add(Compare(shape, next));
            shape = next;
        }

        return changes;
    }

    // ML.NET builds the shape of a schema with an internal factory; its public surface has no way to make the columns.
    private static readonly MethodInfo? CreateShape = typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(DataViewSchema)]);

    private static SchemaShape Shape(DataViewSchema schema) =>
        (SchemaShape?)CreateShape?.Invoke(null, [schema]) ?? throw new InvalidOperationException("This ML.NET version has no SchemaShape.Create(DataViewSchema).");

    /// <summary>The type as ML.NET spells it in a schema shape: <c>Single</c>, <c>Vector&lt;Single&gt;</c>, <c>Key&lt;UInt32&gt;</c>.</summary>
    public static string TypeName(SchemaShape.Column column)
    {
        var item = column.IsKey ? $"Key<{column.ItemType.RawType.Name}>" : column.ItemType.ToString() ?? column.ItemType.RawType.Name;
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Vector => $"Vector<{item}>",
            SchemaShape.Column.VectorKind.VariableVector => $"VarVector<{item}>",
            _ => item,
        };
    }

    private static SchemaChange Compare(SchemaShape before, SchemaShape after)
    {
        var old = Columns(before);
        var now = Columns(after);
        var added = now.Where(c => !old.ContainsKey(c.Key)).Select(c => (c.Key, c.Value)).ToList();
        var removed = old.Keys.Where(name => !now.ContainsKey(name)).ToList();
        var retyped = now.Where(c => old.TryGetValue(c.Key, out var type) && type != c.Value).Select(c => new RetypedColumn(c.Key, old[c.Key], c.Value)).ToList();
        return new SchemaChange(added, removed, retyped);
    }

    // A shape lists each name once (a later column of the same name hides the earlier one); keep the order of first sight.
    private static Dictionary<string, string> Columns(SchemaShape shape)
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in shape)
        {
            columns[column.Name] = TypeName(column);
        }

        return columns;
    }
}
