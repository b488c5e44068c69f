using System.Globalization;
using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MetadataStore.MLNet;

/// <summary>One stage of a pipeline: the estimator's type and the hyperparameters read from its trainer options.</summary>
internal sealed record EstimatorStage(string EstimatorType, IReadOnlyDictionary<string, PropertyValue> Hyperparameters);

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

        stages.Add(new EstimatorStage(TypeName(type), Hyperparameters(estimator)));
    }

    /// <summary>The public fields and properties of the trainer options object the estimator holds, if it holds one.</summary>
    private static Dictionary<string, PropertyValue> Hyperparameters(object estimator)
    {
        var result = new Dictionary<string, PropertyValue>(StringComparer.Ordinal);
        var options = FindOptions(estimator);
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
            case float or double or decimal:
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
