using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace MetadataStore.MLNet;

/// <summary>
/// One stage of a pipeline: the estimator, its type, the hyperparameters read from its trainer options, and for a
/// transform without trainer options the settings it holds as JSON (null when none are readable).
/// </summary>
internal sealed record EstimatorStage(object Estimator, string EstimatorType, IReadOnlyDictionary<string, PropertyValue> Hyperparameters, string? TransformOptionsJson);

/// <summary>Reads the stages of an estimator and the options each trainer was built with.</summary>
internal static class EstimatorInspector
{
    private const BindingFlags InstanceFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>The stages in order; chains (also nested ones) are flattened.</summary>
    public static IReadOnlyList<EstimatorStage> Stages(object estimator)
    {
        var stages = new List<EstimatorStage>();
        Flatten(estimator, stages);
        return stages;
    }

    private static void Flatten(object estimator, List<EstimatorStage> stages)
    {
        var type = estimator.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EstimatorChain<>))
        {
            // The chain keeps its stages in a private array; its public surface only exposes the last one.
            if (type.GetField("_estimators", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(estimator) is Array inner)
            {
                foreach (var stage in inner)
                {
                    if (stage is not null)
                    {
                        Flatten(stage, stages);
                    }
                }

                return;
            }
        }

        var hyperparameters = Hyperparameters(estimator, out var isTrainer);
        stages.Add(new EstimatorStage(estimator, TypeName(type), hyperparameters, isTrainer ? null : TransformOptions(estimator)));
    }

    /// <summary>The seed the context was created with, read from its environment; null when none was given or it cannot be read.</summary>
    public static int? Seed(MLContext mlContext)
    {
        var env = typeof(MLContext).GetField("_env", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(mlContext);
        for (var type = env?.GetType(); type is not null; type = type.BaseType)
        {
            if (type.GetProperty("Seed", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly) is { } seed
                && seed.PropertyType == typeof(int?))
            {
                return (int?)seed.GetValue(env);
            }
        }

        return null;
    }

    /// <summary>The public fields and properties of the trainer options object the estimator holds, if it holds one.</summary>
    private static Dictionary<string, PropertyValue> Hyperparameters(object estimator, out bool isTrainer)
    {
        var result = new Dictionary<string, PropertyValue>(StringComparer.Ordinal);
        var options = FindOptions(estimator);
        isTrainer = options is not null;
        if (options is null)
        {
            return result;
        }

        foreach (var field in options.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public))
        {
            Add(result, field.Name, field.GetValue(options));
        }

        foreach (var property in options.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (property.CanRead && property.GetIndexParameters().Length == 0 && !result.ContainsKey(property.Name))
            {
                Add(result, property.Name, property.GetValue(options));
            }
        }

        return result;
    }

    // Trainers keep the options they were built with in a non-public field of some base class
    // (SdcaTrainerOptions, LbfgsTrainerOptions, FastTreeTrainerOptions...); the field's type is what identifies it.
    private static TrainerInputBase? FindOptions(object estimator)
    {
        for (var type = estimator.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(InstanceFields))
            {
                if (typeof(TrainerInputBase).IsAssignableFrom(field.FieldType) && field.GetValue(estimator) is TrainerInputBase options)
                {
                    return options;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The settings a transform keeps in its fields (column names, column options), as a JSON object; null when it
    /// has none. Transforms have no public options object, so this reads what the fields hold, and reads nothing
    /// that is not plain data (hosts, data views, delegates).
    /// </summary>
    private static string? TransformOptions(object estimator)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (!WriteObject(writer, estimator, depth: 0))
            {
                return null;
            }
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private const int MaxDepth = 3;
    private const int MaxItems = 64;

    private static bool WriteObject(Utf8JsonWriter writer, object value, int depth)
    {
        var fields = new List<(string Name, object Value)>();
        for (var type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(InstanceFields))
            {
                if (field.GetValue(value) is { } item && IsData(item, depth + 1))
                {
                    fields.Add((FieldName(field.Name), item));
                }
            }
        }

        if (fields.Count == 0)
        {
            return false;
        }

        writer.WriteStartObject();
        foreach (var (name, item) in fields.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            writer.WritePropertyName(name);
            WriteValue(writer, item, depth + 1);
        }

        writer.WriteEndObject();
        return true;
    }

    private static void WriteValue(Utf8JsonWriter writer, object value, int depth)
    {
        switch (value)
        {
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case string s:
                writer.WriteStringValue(s);
                return;
            case char c:
                writer.WriteStringValue(c.ToString());
                return;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                return;
            case float or double when !double.IsFinite(Convert.ToDouble(value, CultureInfo.InvariantCulture)):
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                return;
            case float f:
                writer.WriteNumberValue(Widen(f));
                return;
            case double or decimal:
                writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                return;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case ulong u:
                writer.WriteNumberValue(u);
                return;
            case IEnumerable items:
                writer.WriteStartArray();
                var written = 0;
                foreach (var item in items)
                {
                    // Settings are short lists (columns); a transform holding data (a lookup table) is cut.
                    if (written++ == MaxItems)
                    {
                        writer.WriteStringValue("...");
                        break;
                    }

                    if (item is not null && IsData(item, depth + 1))
                    {
                        WriteValue(writer, item, depth + 1);
                    }
                }

                writer.WriteEndArray();
                return;
            default:
                if (!WriteObject(writer, value, depth))
                {
                    writer.WriteStringValue(TypeName(value.GetType()));
                }

                return;
        }
    }

    // Plain values, collections of them, and ML.NET's own option and estimator objects, to a small depth.
    private static bool IsData(object value, int depth)
    {
        if (value is bool or string or char or Enum or float or double or decimal or byte or sbyte or short or ushort or int or uint or long or ulong)
        {
            return true;
        }

        if (depth > MaxDepth || value is IHostEnvironment or IDataView or ITransformer or Delegate or Random or Type or IDictionary)
        {
            return false;
        }

        var type = value.GetType();
        return value is IEnumerable
            || (type.IsValueType && type.IsGenericType && type.FullName?.StartsWith("System.ValueTuple", StringComparison.Ordinal) == true)
            || type.Namespace?.StartsWith("Microsoft.ML", StringComparison.Ordinal) == true;
    }

    // "_source" -> "source"; "<Keys>k__BackingField" -> "Keys"; "Item1" stays.
    private static string FieldName(string name)
    {
        if (name.StartsWith('<') && name.IndexOf('>', StringComparison.Ordinal) is var end and > 1)
        {
            return name[1..end];
        }

        return name.TrimStart('_');
    }

    private static void Add(Dictionary<string, PropertyValue> result, string name, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case bool b:
                result[name] = b;
                return;
            case string s:
                result[name] = s;
                return;
            case Enum e:
                result[name] = e.ToString();
                return;
            case char c:
                result[name] = c.ToString();
                return;
            case float f:
                result[name] = Widen(f);
                return;
            case double or decimal:
                result[name] = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                return;
            case ulong u:
                result[name] = u <= long.MaxValue ? PropertyValue.FromInt((long)u) : PropertyValue.FromDouble(u);
                return;
            case byte or sbyte or short or ushort or int or uint or long:
                result[name] = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                return;
            default:
                // Loss functions, calibrators and other components: their type is what identifies the choice.
                result[name] = TypeName(value.GetType());
                return;
        }
    }

    /// <summary>
    /// The double with the float's shortest decimal form: 0.001f is recorded as 0.001, not 0.0010000000474974513.
    /// Converting back to float gives the same float.
    /// </summary>
    private static double Widen(float value) =>
        float.IsFinite(value) ? double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : value;

    internal static string TypeName(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.FullName ?? type.Name;
        }

        var name = type.GetGenericTypeDefinition().FullName ?? type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return (tick < 0 ? name : name[..tick]) + "<" + string.Join(",", type.GetGenericArguments().Select(TypeName)) + ">";
    }
}
