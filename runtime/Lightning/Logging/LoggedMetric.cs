using System.Globalization;

namespace Lightning.Logging;

/// <summary>One metric of one hook: its latest step value and the running epoch aggregate.</summary>
internal sealed class LoggedMetric
{
    private double _weightedSum;
    private double _weight;
    private double _sum;
    private double _max = double.NegativeInfinity;
    private double _min = double.PositiveInfinity;

    public LoggedMetric(string name, MetricOptions options)
    {
        Name = name;
        Options = options;
    }

    public string Name { get; }

    public MetricOptions Options { get; }

    /// <summary>The value of the latest <c>Log</c> call.</summary>
    public double StepValue { get; private set; }

    /// <summary>Whether any value arrived since the epoch started.</summary>
    public bool HasValue => _weight > 0;

    public void Update(double value, int batchSize)
    {
        StepValue = value;
        _weightedSum += value * batchSize;
        _weight += batchSize;
        _sum += value;
        if (value > _max || double.IsNaN(value)) _max = value;
        if (value < _min || double.IsNaN(value)) _min = value;
    }

    /// <summary>The running aggregate, for a checkpoint taken inside an epoch.</summary>
    public Dictionary<string, object?> StateDict() => new(StringComparer.Ordinal)
    {
        ["step_value"] = StepValue, ["weighted_sum"] = _weightedSum, ["weight"] = _weight, ["sum"] = _sum, ["max"] = _max, ["min"] = _min,
    };

    /// <summary>Restores <see cref="StateDict"/>.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, object?> state)
    {
        StepValue = Number(state, "step_value");
        _weightedSum = Number(state, "weighted_sum");
        _weight = Number(state, "weight");
        _sum = Number(state, "sum");
        _max = Number(state, "max");
        _min = Number(state, "min");

        static double Number(IReadOnlyDictionary<string, object?> s, string key) => Convert.ToDouble(s[key], CultureInfo.InvariantCulture);
    }

    /// <summary>The epoch value under the metric's reduction.</summary>
    public double EpochValue => Options.Reduce switch
    {
        Reduce.Mean => _weightedSum / _weight,
        Reduce.Sum => _sum,
        Reduce.Max => _max,
        Reduce.Min => _min,
        _ => throw new InvalidOperationException($"Unknown reduction {Options.Reduce}."),
    };
}
