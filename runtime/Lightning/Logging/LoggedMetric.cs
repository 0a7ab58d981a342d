using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Logging;

/// <summary>
/// One metric of one hook: its latest step value and the running epoch aggregate. Logged tensors are not read:
/// the step value stays a <see cref="MetricValue"/> on the device, and their part of the aggregate (for the metric's
/// reduction) is kept there too, one small kernel per step, and read once when the epoch value is asked for.
/// </summary>
internal sealed class LoggedMetric : IDisposable
{
    private double _weightedSum;
    private double _weight;
    private double _sum;
    private double _max = double.NegativeInfinity;
    private double _min = double.PositiveInfinity;
    // The logged tensors' part of the aggregate under Options.Reduce, on their device.
    private Tensor? _onDevice;

    public LoggedMetric(string name, MetricOptions options)
    {
        Name = name;
        Options = options;
    }

    public string Name { get; }

    public MetricOptions Options { get; }

    /// <summary>The value of the latest <c>Log</c> call, not read yet if it was a tensor.</summary>
    public MetricValue Step { get; private set; } = new(0.0);

    // Whether this metric still holds Step (until it is published).
    private bool _holdsStep;

    private void SetStep(MetricValue value)
    {
        ReleaseStep();
        Step = value.Retain();
        _holdsStep = true;
    }

    /// <summary>Lets go of the step value: it was published, and the trainer's dictionaries hold it from now on.</summary>
    public void ReleaseStep()
    {
        if (_holdsStep) Step.Release();
        _holdsStep = false;
    }

    /// <summary>Whether any value arrived since the epoch started.</summary>
    public bool HasValue => _weight > 0;

    public void Update(double value, int batchSize)
    {
        SetStep(value);
        _weight += batchSize;
        Add(value, batchSize);
    }

    public void Update(Tensor value, int batchSize)
    {
        // A value logged only per epoch is never published as a step value, so it is not kept as one.
        SetStep(Options.OnStep ? new MetricValue(value) : new MetricValue(double.NaN));
        _weight += batchSize;
        if (!Options.OnEpoch) return;
        using var scope = NewDisposeScope();
        // Float64 as the host-side sums; MPS has no float64.
        var number = value.detach().reshape().to_type(value.device.type == DeviceType.MPS ? ScalarType.Float32 : ScalarType.Float64);
        if (_onDevice is null)
        {
            _onDevice = (Options.Reduce == Reduce.Mean ? number * batchSize : number.clone()).DetachFromDisposeScope();
            return;
        }
        switch (Options.Reduce)
        {
            case Reduce.Mean: _onDevice.add_(number, alpha: batchSize); break;
            case Reduce.Sum: _onDevice.add_(number); break;
            case Reduce.Max: _onDevice.copy_(maximum(_onDevice, number)); break;
            case Reduce.Min: _onDevice.copy_(minimum(_onDevice, number)); break;
        }
    }

    // A host value's part of every aggregate; also how the device part joins them once read (as one value, weight 1 for Mean's sum).
    private void Add(double value, double weight)
    {
        _weightedSum += value * weight;
        _sum += value;
        if (value > _max || double.IsNaN(value)) _max = value;
        if (value < _min || double.IsNaN(value)) _min = value;
    }

    // Reads the device part of the aggregate into the host one.
    private void Settle()
    {
        if (_onDevice is null) return;
        var value = DeviceReads.Read(_onDevice);
        _onDevice.Dispose();
        _onDevice = null;
        switch (Options.Reduce)
        {
            case Reduce.Mean: _weightedSum += value; break;
            case Reduce.Sum: _sum += value; break;
            default: Add(value, 0); break;
        }
    }

    /// <summary>The running aggregate, for a checkpoint taken inside an epoch.</summary>
    public Dictionary<string, object?> StateDict()
    {
        Settle();
        return new(StringComparer.Ordinal)
        {
            ["step_value"] = Step.Value, ["weighted_sum"] = _weightedSum, ["weight"] = _weight, ["sum"] = _sum, ["max"] = _max, ["min"] = _min,
        };
    }

    /// <summary>Restores <see cref="StateDict"/>.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, object?> state)
    {
        SetStep(Number(state, "step_value"));
        _weightedSum = Number(state, "weighted_sum");
        _weight = Number(state, "weight");
        _sum = Number(state, "sum");
        _max = Number(state, "max");
        _min = Number(state, "min");

        static double Number(IReadOnlyDictionary<string, object?> s, string key) => Convert.ToDouble(s[key], CultureInfo.InvariantCulture);
    }

    /// <summary>The epoch value under the metric's reduction (reading the device part, once).</summary>
    public double EpochValue
    {
        get
        {
            Settle();
            return Options.Reduce switch
            {
                Reduce.Mean => _weightedSum / _weight,
                Reduce.Sum => _sum,
                Reduce.Max => _max,
                Reduce.Min => _min,
                _ => throw new InvalidOperationException($"Unknown reduction {Options.Reduce}."),
            };
        }
    }

    public void Dispose()
    {
        ReleaseStep();
        _onDevice?.Dispose();
        _onDevice = null;
    }
}
