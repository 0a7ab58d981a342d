namespace Lightning.Bench.Measurement;

/// <summary>Minimum, median and maximum of a set of measurements.</summary>
internal sealed record Stats(double Min, double Median, double Max, int Count)
{
    public static Stats Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No measurements to summarise.", nameof(values));
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Stats(sorted[0], median, sorted[^1], sorted.Length);
    }

    /// <summary>"min / median / max" with <paramref name="format"/>.</summary>
    public string Format(string format) => $"{Min.ToString(format)} / {Median.ToString(format)} / {Max.ToString(format)}";
}
