namespace MetadataStore.MLNet.Tests;

public sealed class RegressionRow
{
    public float X1 { get; set; }

    public float X2 { get; set; }

    // Not used by the pipelines; holds missing values for the statistics tests.
    public float Extra { get; set; }

    public float Label { get; set; }
}

public sealed class BinaryRow
{
    public float X1 { get; set; }

    public float X2 { get; set; }

    public bool Label { get; set; }
}

public sealed class TextRow
{
    public float X1 { get; set; }

    public float X2 { get; set; }

    public float Extra { get; set; }

    public string Label { get; set; } = string.Empty;

    public string City { get; set; } = string.Empty;
}

public sealed class RankingRow
{
    public float X1 { get; set; }

    public float X2 { get; set; }

    public uint Query { get; set; }

    public float Label { get; set; }
}

internal static class Data
{
    public static List<RegressionRow> Regression(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<RegressionRow>(count);
        for (var i = 0; i < count; i++)
        {
            var x1 = (float)(random.NextDouble() * 10 - 5);
            var x2 = (float)(random.NextDouble() * 4);
            rows.Add(new RegressionRow
            {
                X1 = x1,
                X2 = x2,
                Extra = i % 7 == 0 ? float.NaN : (float)random.NextDouble(),
                Label = 3 * x1 - 2 * x2 + 1 + (float)(random.NextDouble() - 0.5),
            });
        }

        return rows;
    }

    public static List<BinaryRow> Binary(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<BinaryRow>(count);
        for (var i = 0; i < count; i++)
        {
            var x1 = (float)(random.NextDouble() * 4 - 2);
            var x2 = (float)(random.NextDouble() * 4 - 2);
            rows.Add(new BinaryRow { X1 = x1, X2 = x2, Label = x1 + 0.5 * x2 + (random.NextDouble() - 0.5) > 0 });
        }

        return rows;
    }

    private static readonly string[] Cities = ["Oslo", "Lima", "Pune", "Kyiv", "Rome", "Baku"];

    // Three classes from X1; City is text with some empty values.
    public static List<TextRow> Text(int count, int seed)
    {
        var random = new Random(seed);
        return Regression(count, seed).Select((r, i) => new TextRow
        {
            X1 = r.X1,
            X2 = r.X2,
            Extra = r.Extra,
            Label = r.X1 < -1.5f ? "low" : r.X1 < 1.5f ? "mid" : "high",
            City = i % 9 == 0 ? string.Empty : Cities[random.Next(Cities.Length)],
        }).ToList();
    }

    // Queries of 10 rows each; the relevance (0 to 3) grows with X1.
    public static List<RankingRow> Ranking(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<RankingRow>(count);
        for (var i = 0; i < count; i++)
        {
            var x1 = (float)random.NextDouble();
            var x2 = (float)random.NextDouble();
            rows.Add(new RankingRow { X1 = x1, X2 = x2, Query = (uint)(i / 10), Label = MathF.Min(3, MathF.Floor(x1 * 4 + (float)(random.NextDouble() * 0.5))) });
        }

        return rows;
    }
}
