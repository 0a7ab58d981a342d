using static TorchSharp.torch;

namespace Lightning.Logging;

/// <summary>
/// A logged value that stays where it was computed until something needs the number: a one-element tensor kept
/// (detached, outside any dispose scope) and read once, on first use, through <see cref="DeviceReads"/>; or a number.
/// Its holders (the metric that logged it until it is published, each entry of the trainer's metric dictionaries)
/// count themselves with <see cref="Retain"/> and <see cref="Release"/>; when the last lets go of a value nobody
/// read, its tensor is freed unread.
/// </summary>
internal sealed class MetricValue
{
    private Tensor? _tensor;
    private double _number;
    private int _holders;

    public MetricValue(double number) => _number = number;

    /// <summary>Keeps <paramref name="tensor"/> (a one-element tensor) without reading it.</summary>
    public MetricValue(Tensor tensor) => _tensor = tensor.detach().DetachFromDisposeScope();

    /// <summary>The tensor while it is not read yet, for work on the device that needs no number (a finiteness check).</summary>
    public Tensor? Pending => _tensor;

    /// <summary>Whether the number is on the host already, so using it costs no device read.</summary>
    public bool IsRead => _tensor is null;

    /// <summary>The number, read from the device the first time it is asked for.</summary>
    public double Value
    {
        get
        {
            if (_tensor is { } tensor)
            {
                _number = DeviceReads.Read(tensor);
                tensor.Dispose();
                _tensor = null;
            }
            return _number;
        }
    }

    public MetricValue Retain()
    {
        _holders++;
        return this;
    }

    public void Release()
    {
        if (--_holders > 0 || _tensor is null) return;
        _tensor.Dispose();
        _tensor = null;
        _number = double.NaN;
    }

    public static implicit operator MetricValue(double number) => new(number);
}
