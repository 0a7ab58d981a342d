namespace Lightning;

/// <summary>
/// A learning-rate scheduler, <see cref="EarlyStopping"/> or <see cref="ModelCheckpoint"/> monitors a metric that was
/// not logged (Lightning stops there with a <c>MisconfigurationException</c>). The message names the metric, what
/// was logged and the fix; <see cref="Metric"/> and <see cref="Logged"/> give the same to a program, such as a
/// command line that turns it into one line.
/// </summary>
public sealed class MissingMetricException : InvalidOperationException
{
    internal MissingMetricException(string metric, IEnumerable<string> logged, Func<string, string> message)
        : this(metric, [.. logged], message)
    {
    }

    private MissingMetricException(string metric, IReadOnlyList<string> logged, Func<string, string> message)
        : base(message(logged.Count == 0 ? "none" : string.Join(", ", logged)))
    {
        Metric = metric;
        Logged = logged;
    }

    /// <summary>The monitored metric's name.</summary>
    public string Metric { get; }

    /// <summary>The names of the metrics that were logged.</summary>
    public IReadOnlyList<string> Logged { get; }
}
