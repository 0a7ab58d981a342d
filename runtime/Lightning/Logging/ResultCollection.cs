using static TorchSharp.torch;

namespace Lightning.Logging;

/// <summary>
/// The values a module logged during one loop (training, validation or test), keyed by hook and name:
/// the latest step values and the epoch aggregates, and which names each goes under.
/// </summary>
internal sealed class ResultCollection
{
    private readonly Dictionary<(string Hook, string Name), LoggedMetric> _metrics = new();
    private readonly HashSet<LoggedMetric> _updatedThisStep = [];
    private readonly List<LoggedMetric> _published = [];

    /// <summary>Whether this collection belongs to the training loop (step metrics reach callbacks there).</summary>
    public ResultCollection(bool training) => Training = training;

    public bool Training { get; }

    public void Log(string hook, string name, double value, MetricOptions options, int batchSize) =>
        Metric(hook, name, options).Update(value, batchSize);

    /// <summary>Logs a one-element tensor without reading it: the step value and the epoch aggregate stay on its device.</summary>
    public void Log(string hook, string name, Tensor value, MetricOptions options, int batchSize) =>
        Metric(hook, name, options).Update(value, batchSize);

    private LoggedMetric Metric(string hook, string name, MetricOptions options)
    {
        if (!_metrics.TryGetValue((hook, name), out var metric))
        {
            metric = new LoggedMetric(name, options);
            _metrics[(hook, name)] = metric;
        }
        else if (metric.Options != options)
        {
            throw new InvalidOperationException(
                $"Log(\"{name}\") was called twice in {hook} with different arguments ({Describe(metric.Options)} then {Describe(options)}). " +
                "Use the same progBar, logger, onStep, onEpoch and reduce arguments for a metric within a hook.");
        }
        _updatedThisStep.Add(metric);
        return metric;
    }

    /// <summary>Names and values of the metrics logged per step since the last call, then forgets which those were.</summary>
    public MetricsSnapshot TakeStepMetrics() => StepMetrics(take: true);

    /// <summary>
    /// The step values <see cref="TakeStepMetrics"/> would hand out now, leaving them to it: what the batch-end hooks
    /// see, as Lightning's hooks read its live results.
    /// </summary>
    public MetricsSnapshot PeekStepMetrics() => StepMetrics(take: false);

    private MetricsSnapshot StepMetrics(bool take)
    {
        var snapshot = new MetricsSnapshot();
        foreach (var metric in _updatedThisStep)
        {
            if (!metric.Options.OnStep) continue;
            if (take) _published.Add(metric);
            var forked = metric.Options.Forked ? metric.Name + "_step" : metric.Name;
            var value = metric.Step;
            if (metric.Options.Logger) snapshot.Logged.Set(forked, value);
            if (metric.Options.ProgBar) snapshot.ProgressBar.Set(forked, value);
            if (Training)
            {
                snapshot.Callback.Set(metric.Name, value);
                snapshot.Callback.Set(forked, value);
            }
        }
        if (take) _updatedThisStep.Clear();
        return snapshot;
    }

    /// <summary>Lets go of the step values <see cref="TakeStepMetrics"/> handed out, once the trainer's dictionaries hold them.</summary>
    public void ReleasePublished()
    {
        foreach (var metric in _published) metric.ReleaseStep();
        _published.Clear();
    }

    /// <summary>Names and epoch values of the metrics logged per epoch.</summary>
    public MetricsSnapshot EpochMetrics()
    {
        var snapshot = new MetricsSnapshot();
        foreach (var metric in _metrics.Values)
        {
            if (!metric.Options.OnEpoch || !metric.HasValue) continue;
            var forked = metric.Options.Forked ? metric.Name + "_epoch" : metric.Name;
            var value = metric.EpochValue;
            if (metric.Options.Logger) snapshot.Logged[forked] = value;
            if (metric.Options.ProgBar) snapshot.ProgressBar[forked] = value;
            snapshot.Callback[metric.Name] = value;
            snapshot.Callback[forked] = value;
        }
        return snapshot;
    }

    /// <summary>
    /// Every metric's options and running aggregate, and which await their step publication: what a checkpoint
    /// taken inside an epoch needs so the epoch's values come out the same after resuming.
    /// </summary>
    public List<object?> StateDict() =>
        _metrics.Select(entry => (object?)new Dictionary<string, object?>(entry.Value.StateDict(), StringComparer.Ordinal)
        {
            ["hook"] = entry.Key.Hook,
            ["name"] = entry.Key.Name,
            ["prog_bar"] = entry.Value.Options.ProgBar,
            ["logger"] = entry.Value.Options.Logger,
            ["on_step"] = entry.Value.Options.OnStep,
            ["on_epoch"] = entry.Value.Options.OnEpoch,
            ["reduce"] = entry.Value.Options.Reduce.ToString(),
            ["pending_step"] = _updatedThisStep.Contains(entry.Value),
        }).ToList();

    /// <summary>Replaces the contents with <see cref="StateDict"/>.</summary>
    public void LoadStateDict(IEnumerable<object?> state)
    {
        Reset();
        foreach (var item in state)
        {
            var entry = (IReadOnlyDictionary<string, object?>)item!;
            var options = new MetricOptions((bool)entry["prog_bar"]!, (bool)entry["logger"]!, (bool)entry["on_step"]!, (bool)entry["on_epoch"]!,
                Enum.Parse<Reduce>((string)entry["reduce"]!));
            var name = (string)entry["name"]!;
            var metric = new LoggedMetric(name, options);
            metric.LoadStateDict(entry);
            _metrics[((string)entry["hook"]!, name)] = metric;
            if ((bool)entry["pending_step"]!) _updatedThisStep.Add(metric);
        }
    }

    public void Reset()
    {
        foreach (var metric in _metrics.Values) metric.Dispose();
        _metrics.Clear();
        _updatedThisStep.Clear();
    }

    private static string Describe(MetricOptions o) =>
        $"progBar: {o.ProgBar}, logger: {o.Logger}, onStep: {o.OnStep}, onEpoch: {o.OnEpoch}, reduce: {o.Reduce}";
}
