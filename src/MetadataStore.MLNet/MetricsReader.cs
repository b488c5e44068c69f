using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.ML.Data;

namespace MetadataStore.MLNet;

/// <summary>The metrics read from an ML.NET metrics object.</summary>
/// <param name="Values">Every scalar by name, NaN values included.</param>
/// <param name="ConfusionMatrixJson">The confusion matrix as a JSON object, or null when the metrics have none.</param>
internal sealed record MetricsReading(IReadOnlyDictionary<string, double> Values, string? ConfusionMatrixJson);

/// <summary>
/// Reads a metrics object through its public properties, so every metrics type (regression, binary, multiclass,
/// ranking, clustering, anomaly detection, and types to come) is read alike: numbers are scalars, lists of numbers
/// are one scalar per element, and a <see cref="ConfusionMatrix"/> becomes JSON.
/// </summary>
internal static class MetricsReader
{
    public static MetricsReading Read(object metrics)
    {
        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        string? confusion = null;
        foreach (var property in metrics.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            switch (property.GetValue(metrics))
            {
                case double d:
                    values[property.Name] = d;
                    break;
                case int or long or float:
                    values[property.Name] = Convert.ToDouble(property.GetValue(metrics), CultureInfo.InvariantCulture);
                    break;
                case IReadOnlyList<double> series:
                    for (var i = 0; i < series.Count; i++)
                    {
                        values[SeriesName(property.Name, i)] = series[i];
                    }

                    break;
                case ConfusionMatrix matrix:
                    confusion = ConfusionMatrixJson(matrix);
                    break;
            }
        }

        return new MetricsReading(values, confusion);
    }

    /// <summary>
    /// The name of element <paramref name="index"/> of a metric series: <c>Name@k</c> for metrics at a truncation
    /// level or a top-k (k from 1), <c>Name[i]</c> for per-class values (class index from 0).
    /// </summary>
    public static string SeriesName(string property, int index) =>
        property.EndsWith("DiscountedCumulativeGains", StringComparison.Ordinal) || property.StartsWith("TopK", StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"{property}@{index + 1}")
            : string.Create(CultureInfo.InvariantCulture, $"{property}[{index}]");

    private static string ConfusionMatrixJson(ConfusionMatrix matrix)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("classes", matrix.NumberOfClasses);
            writer.WriteStartArray("counts");
            foreach (var row in matrix.Counts)
            {
                writer.WriteStartArray();
                foreach (var count in row)
                {
                    writer.WriteNumberValue(count);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            WriteSeries(writer, "per_class_precision", matrix.PerClassPrecision);
            WriteSeries(writer, "per_class_recall", matrix.PerClassRecall);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    // JSON has no NaN: a class never predicted has no precision, written as null.
    private static void WriteSeries(Utf8JsonWriter writer, string name, IReadOnlyList<double> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndArray();
    }
}
