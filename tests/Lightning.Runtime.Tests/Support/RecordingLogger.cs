namespace Lightning.Tests.Support;

/// <summary>A logger that keeps every call in memory.</summary>
internal sealed class RecordingLogger : Logger
{
    public List<(long Step, Dictionary<string, double> Metrics)> Rows { get; } = [];

    public IReadOnlyDictionary<string, object?>? Hyperparameters { get; private set; }

    public string? FinishStatus { get; private set; }

    public override string Name => "memory";

    public override string Version => "version_0";

    public override string? RootDir => null;

    public override void LogHyperparams(IReadOnlyDictionary<string, object?> hyperparameters) => Hyperparameters = hyperparameters;

    public override void LogMetrics(IReadOnlyDictionary<string, double> metrics, long step) => Rows.Add((step, new Dictionary<string, double>(metrics)));

    public override void Finish(string status) => FinishStatus = status;

    /// <summary>The steps at which <paramref name="metric"/> was logged, with its values.</summary>
    public List<(long Step, double Value)> Series(string metric) =>
        Rows.Where(r => r.Metrics.ContainsKey(metric)).Select(r => (r.Step, r.Metrics[metric])).ToList();
}
