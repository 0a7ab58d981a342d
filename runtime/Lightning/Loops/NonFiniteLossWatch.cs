using Lightning.Logging;
using static TorchSharp.torch;

namespace Lightning.Loops;

/// <summary>
/// Training goes on through a NaN loss, as in Lightning, but not silently: the first non-finite value of a training
/// metric named <c>*loss*</c> is warned about once. Values a logger or the progress bar read already are checked at
/// once; for those still on the device, the first bad step is tracked there (a few kernels, no sync) and read once at
/// the epoch's end, so the check never makes a step wait for the GPU.
/// </summary>
internal sealed class NonFiniteLossWatch
{
    // Per metric, on the device: the smallest code 2 * step + (1 for infinite, 0 for NaN) of a bad value, or Finite.
    private const double Finite = double.MaxValue;
    private readonly Dictionary<string, Tensor> _firstBad = new(StringComparer.Ordinal);
    private readonly Trainer _trainer;
    private bool _warned;

    public NonFiniteLossWatch(Trainer trainer) => _trainer = trainer;

    /// <summary>Looks at a step's published training values, at global step <paramref name="step"/>.</summary>
    public void Observe(MetricValues values, long step)
    {
        if (_warned || _trainer.Options.DetectAnomaly) return;
        foreach (var (name, value) in values.Entries)
        {
            if (!name.Contains("loss", StringComparison.OrdinalIgnoreCase)) continue;
            if (value.Pending is not { } tensor)
            {
                if (!double.IsFinite(value.Value)) Warn(name, value.Value, step);
                if (_warned) return;
                continue;
            }
            using var scope = NewDisposeScope();
            var number = tensor.detach().reshape().to_type(ScalarType.Float64);
            var bad = number.isfinite().logical_not().to_type(ScalarType.Float64);
            var code = bad * (number.isinf().to_type(ScalarType.Float64) + 2.0 * step) + (1.0 - bad) * Finite;
            if (_firstBad.TryGetValue(name, out var first)) first.copy_(minimum(first, code));
            else _firstBad[name] = code.DetachFromDisposeScope();
        }
    }

    /// <summary>Reads what the device tracked (once per metric) and warns about the first bad value; at an epoch's end.</summary>
    public void Check()
    {
        foreach (var (name, first) in _firstBad)
        {
            var code = _warned ? Finite : DeviceReads.Read(first);
            first.Dispose();
            if (code < Finite) Warn(name, code % 2 == 1 ? double.PositiveInfinity : double.NaN, (long)(code / 2));
        }
        _firstBad.Clear();
    }

    private void Warn(string name, double value, long step)
    {
        if (_warned) return;
        _warned = true;
        Output.Warn($"the training metric '{name}' became {(double.IsNaN(value) ? "NaN" : "infinite")} at epoch {_trainer.CurrentEpoch}, global step " +
                       $"{step}. Training goes on, and checkpoints saved from now on may hold NaN weights. Set DetectAnomaly " +
                       "(--trainer.detect-anomaly) to stop at the first non-finite loss; check the learning rate, the inputs and any log or division in the loss.");
    }
}
