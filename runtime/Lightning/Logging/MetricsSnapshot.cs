namespace Lightning.Logging;

/// <summary>Metric values sorted by where they go: loggers, callbacks (monitors), progress bar.</summary>
internal sealed class MetricsSnapshot
{
    public Dictionary<string, double> Logged { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, double> Callback { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, double> ProgressBar { get; } = new(StringComparer.Ordinal);
}
