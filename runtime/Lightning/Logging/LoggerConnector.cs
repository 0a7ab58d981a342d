using Lightning.Hooks;
using static TorchSharp.torch;

namespace Lightning.Logging;

/// <summary>
/// Routes <c>Log</c> calls to the running loop's results, applies the per-hook defaults, and moves step and
/// epoch values into the trainer's metric dictionaries and the loggers.
/// </summary>
internal sealed class LoggerConnector
{
    private readonly List<Logger> _loggers = [];

    public MetricValues CallbackMetrics { get; } = new(holds: true);

    public MetricValues LoggedMetrics { get; } = new(holds: true);

    public MetricValues ProgressBarMetrics { get; } = new(holds: true);

    /// <summary>Empties the metric dictionaries for a new run (Lightning's <c>reset_metrics</c>).</summary>
    public void ResetMetrics()
    {
        CallbackMetrics.Clear();
        LoggedMetrics.Clear();
        ProgressBarMetrics.Clear();
    }

    /// <summary>Reads the values the metric dictionaries still hold on the device: a run's end, after which nothing logs them.</summary>
    public void ReadAll()
    {
        CallbackMetrics.ReadAll();
        LoggedMetrics.ReadAll();
        ProgressBarMetrics.ReadAll();
    }

    public IReadOnlyList<Logger> Loggers => _loggers;

    /// <summary>Whether this process writes to the loggers: only global rank 0 of a data-parallel job does.</summary>
    public bool WritesToLoggers { get; set; } = true;

    /// <summary>The hook running now, for defaults and error messages.</summary>
    public string? CurrentHook { get; set; }

    /// <summary>The results of the loop running now; null between loops.</summary>
    public ResultCollection? Results { get; set; }

    /// <summary>The batch being processed, for the batch-size guess.</summary>
    public object? CurrentBatch { get; set; }

    /// <summary>Loaders in the current evaluation; with more than one, names get a <c>/dataloader_idx_N</c> suffix.</summary>
    public int DataloaderCount { get; set; } = 1;

    public int DataloaderIdx { get; set; }

    /// <summary>The latest metric values of each kind, for a checkpoint.</summary>
    public Dictionary<string, object?> StateDict() => new(StringComparer.Ordinal)
    {
        ["callback"] = Copy(CallbackMetrics),
        ["logged"] = Copy(LoggedMetrics),
        ["progress_bar"] = Copy(ProgressBarMetrics),
    };

    /// <summary>Restores <see cref="StateDict"/>.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, object?> state)
    {
        Restore(CallbackMetrics, "callback");
        Restore(LoggedMetrics, "logged");
        Restore(ProgressBarMetrics, "progress_bar");

        void Restore(MetricValues target, string key)
        {
            target.Clear();
            foreach (var (name, value) in (IReadOnlyDictionary<string, object?>)state[key]!)
                target[name] = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static Dictionary<string, object?> Copy(MetricValues metrics) =>
        metrics.ToDictionary(m => m.Key, m => (object?)m.Value, StringComparer.Ordinal);

    public void SetLoggers(IEnumerable<Logger> loggers)
    {
        _loggers.Clear();
        _loggers.AddRange(loggers);
    }

    public void Log(string name, double value, bool progBar, bool logger, bool? onStep, bool? onEpoch, Reduce reduce, int? batchSize)
    {
        var (hook, key, options) = Route(name, progBar, logger, onStep, onEpoch, reduce);
        Results!.Log(hook, key, value, options, batchSize ?? BatchTransfer.SizeOf(CurrentBatch));
    }

    /// <summary>Logs a one-element tensor without reading it back; loggers, the progress bar and callbacks read it when they need it.</summary>
    public void Log(string name, Tensor value, bool progBar, bool logger, bool? onStep, bool? onEpoch, Reduce reduce, int? batchSize)
    {
        var (hook, key, options) = Route(name, progBar, logger, onStep, onEpoch, reduce);
        Results!.Log(hook, key, value, options, batchSize ?? BatchTransfer.SizeOf(CurrentBatch));
    }

    // The hook, name and options a Log call files its value under, checked; the name gains the loader suffix where several run.
    private (string Hook, string Name, MetricOptions Options) Route(string name, bool progBar, bool logger, bool? onStep, bool? onEpoch, Reduce reduce)
    {
        var hook = CurrentHook ?? "(no hook)";
        // Where a hook may log, and its default, are declared with the hook (Lightning's _FxValidator).
        var rule = HookRules.Logging(CurrentHook);
        if (rule == HookLog.Never || Results is null)
            throw new InvalidOperationException(
                $"Log(\"{name}\") was called in {hook}, where nothing is logged. Log from a step, a batch hook or an epoch hook.");
        var stepDefault = rule == HookLog.PerStep;
        var options = new MetricOptions(progBar, logger, onStep ?? stepDefault, onEpoch ?? !stepDefault, reduce);
        if (!options.OnStep && !options.OnEpoch)
            throw new ArgumentException($"Log(\"{name}\") in {hook} has onStep and onEpoch both false, so it would go nowhere; set one of them.");
        return (hook, DataloaderCount > 1 ? $"{name}/dataloader_idx_{DataloaderIdx}" : name, options);
    }

    /// <summary>Publishes step values: callbacks and progress bar always, loggers when <paramref name="toLoggers"/>.</summary>
    public MetricsSnapshot PublishStep(ResultCollection results, long step, bool toLoggers, int epoch)
    {
        var snapshot = results.TakeStepMetrics();
        Merge(snapshot, step, toLoggers, epoch);
        results.ReleasePublished();
        return snapshot;
    }

    /// <summary>
    /// Shows the step values logged so far to callbacks and the progress bar, before the batch-end hooks, so a step's
    /// line shows that step's values; the loggers get them from <see cref="PublishStep"/> after the hooks. Nothing is
    /// read from the device here.
    /// </summary>
    public void PreviewStep(ResultCollection results) => Merge(results.PeekStepMetrics(), step: 0, toLoggers: false, epoch: 0);

    /// <summary>Publishes a loop's epoch values.</summary>
    public MetricsSnapshot PublishEpoch(ResultCollection results, long step, bool toLoggers, int epoch)
    {
        var snapshot = results.EpochMetrics();
        Merge(snapshot, step, toLoggers, epoch);
        return snapshot;
    }

    /// <summary>Sends values straight to the loggers at a step (0.x return dictionaries, LR monitor).</summary>
    public void LogToLoggers(IReadOnlyDictionary<string, double> metrics, long step)
    {
        if (metrics.Count == 0) return;
        foreach (var (k, v) in metrics) LoggedMetrics[k] = v;
        if (!WritesToLoggers) return;
        foreach (var logger in _loggers) logger.LogMetrics(metrics, step);
    }

    // Every row sent to the loggers carries the epoch, as Lightning's rows do.
    private void Merge(MetricsSnapshot snapshot, long step, bool toLoggers, int epoch)
    {
        foreach (var (k, v) in snapshot.Callback.Entries) CallbackMetrics.Set(k, v);
        foreach (var (k, v) in snapshot.ProgressBar.Entries) ProgressBarMetrics.Set(k, v);
        if (!toLoggers || snapshot.Logged.Count == 0) return;
        var metrics = new Dictionary<string, double>(snapshot.Logged, StringComparer.Ordinal);
        metrics["epoch"] = epoch;
        LogToLoggers(metrics, step);
    }
}
