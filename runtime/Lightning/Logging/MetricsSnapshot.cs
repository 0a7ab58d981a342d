namespace Lightning.Logging;

/// <summary>Metric values sorted by where they go: loggers, callbacks (monitors), progress bar; still on the device until looked at.</summary>
internal sealed class MetricsSnapshot
{
    public MetricValues Logged { get; } = new();

    public MetricValues Callback { get; } = new();

    public MetricValues ProgressBar { get; } = new();
}
