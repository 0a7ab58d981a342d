using System.Reflection;
using TorchSharp.Modules;
using static TorchSharp.torch.optim;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Lightning;

/// <summary>
/// Logs the learning rate of every optimizer while training (Lightning's <c>LearningRateMonitor</c>), as
/// <c>lr-Adam</c> (or the scheduler configuration's <c>Name</c>), <c>lr-Adam-1</c> for a second optimizer of the
/// same type and <c>lr-Adam/pg1</c>, <c>lr-Adam/pg2</c> for several parameter groups. Optionally logs momentum
/// (<c>-momentum</c>) and weight decay (<c>-weight_decay</c>) too. It needs a logger.
/// </summary>
public sealed class LearningRateMonitor : Callback
{
    private static readonly FieldInfo? SchedulerOptimizer = typeof(LRScheduler).GetField("_optimizer", BindingFlags.Instance | BindingFlags.NonPublic);
    private readonly Dictionary<string, List<double>> _lrs = new(StringComparer.Ordinal);

    /// <summary>Creates the monitor.</summary>
    /// <param name="loggingInterval">
    /// Log every logging step (<see cref="SchedulerInterval.Step"/>) or every epoch (<see cref="SchedulerInterval.Epoch"/>);
    /// null logs each scheduler at its own interval, and optimizers without a scheduler at both.
    /// </param>
    /// <param name="logMomentum">Also log the momentum (or the first beta).</param>
    /// <param name="logWeightDecay">Also log the weight decay.</param>
    /// <param name="logKeyPrefix">A prefix for every name, such as <c>"optim/"</c>.</param>
    public LearningRateMonitor(SchedulerInterval? loggingInterval = null, bool logMomentum = false, bool logWeightDecay = false, string? logKeyPrefix = null)
    {
        LoggingInterval = loggingInterval;
        LogMomentum = logMomentum;
        LogWeightDecay = logWeightDecay;
        LogKeyPrefix = logKeyPrefix ?? "";
    }

    /// <summary>When rates are logged; null follows each scheduler's interval.</summary>
    public SchedulerInterval? LoggingInterval { get; }

    /// <summary>Whether momentum is logged.</summary>
    public bool LogMomentum { get; }

    /// <summary>Whether weight decay is logged.</summary>
    public bool LogWeightDecay { get; }

    /// <summary>The prefix of every logged name.</summary>
    public string LogKeyPrefix { get; }

    /// <summary>Every learning rate logged so far, by name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> Lrs => _lrs.ToDictionary(e => e.Key, e => (IReadOnlyList<double>)e.Value, StringComparer.Ordinal);

    /// <inheritdoc />
    public override void OnTrainStart(Trainer trainer, LightningModule module)
    {
        if (trainer.Loggers.Count == 0)
            throw new InvalidOperationException("LearningRateMonitor needs a logger, and this Trainer has none: leave TrainerOptions.Logger at its default or give one.");
        _lrs.Clear();
        foreach (var (_, _, names) in Groups(trainer))
            foreach (var name in names) _lrs[name] = [];
    }

    /// <inheritdoc />
    public override void OnTrainBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx)
    {
        var due = (trainer.GlobalStep + 1) % trainer.Options.LogEveryNSteps == 0 || trainer.ShouldStop;
        if (due && LoggingInterval != SchedulerInterval.Epoch) Log(trainer, LoggingInterval is null ? SchedulerInterval.Step : null);
    }

    /// <inheritdoc />
    public override void OnTrainEpochStart(Trainer trainer, LightningModule module)
    {
        if (LoggingInterval != SchedulerInterval.Step) Log(trainer, LoggingInterval is null ? SchedulerInterval.Epoch : null);
    }

    // interval null: every group; otherwise the groups whose scheduler steps at that interval, and optimizers without one.
    private void Log(Trainer trainer, SchedulerInterval? interval)
    {
        var stats = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (optimizer, schedulerInterval, names) in Groups(trainer))
        {
            if (interval is { } wanted && schedulerInterval is { } own && own != wanted) continue;
            var groups = optimizer.ParamGroups.ToList();
            for (var i = 0; i < groups.Count; i++)
            {
                stats[names[i]] = groups[i].LearningRate;
                if (!_lrs.TryGetValue(names[i], out var history)) _lrs[names[i]] = history = [];
                history.Add(groups[i].LearningRate);
                if (LogMomentum) stats[names[i] + "-momentum"] = Option(groups[i], "beta1") ?? Option(groups[i], "momentum") ?? 0;
                if (LogWeightDecay) stats[names[i] + "-weight_decay"] = Option(groups[i], "weight_decay") ?? 0;
            }
        }
        if (stats.Count == 0) return;
        foreach (var (name, value) in stats) trainer.Logging.CallbackMetrics[name] = value;
        trainer.Logging.LogToLoggers(stats, trainer.GlobalStep);
    }

    // Each optimizer once: those with a scheduler under the scheduler's name, then the others; duplicate types numbered.
    private IEnumerable<(Optimizer Optimizer, SchedulerInterval? Interval, List<string> Names)> Groups(Trainer trainer)
    {
        var seen = new HashSet<Optimizer>(ReferenceEqualityComparer.Instance);
        var typeCounts = new Dictionary<Type, int>();
        foreach (var config in trainer.LrSchedulerConfigs)
        {
            if (SchedulerOptimizer?.GetValue(config.Scheduler) is not Optimizer optimizer || !seen.Add(optimizer)) continue;
            yield return (optimizer, config.Interval, Names(optimizer, config.Name, typeCounts));
        }
        foreach (var optimizer in trainer.Optimizers)
            if (seen.Add(optimizer)) yield return (optimizer, null, Names(optimizer, null, typeCounts));
    }

    private List<string> Names(Optimizer optimizer, string? name, Dictionary<Type, int> typeCounts)
    {
        var type = optimizer.GetType();
        var count = typeCounts[type] = typeCounts.GetValueOrDefault(type) + 1;
        var baseName = LogKeyPrefix + (name ?? "lr-" + type.Name) + (count > 1 ? $"-{count - 1}" : "");
        var groups = optimizer.ParamGroups.Count();
        return groups == 1 ? [baseName] : Enumerable.Range(1, groups).Select(i => $"{baseName}/pg{i}").ToList();
    }

    // TorchSharp keeps a group's hyperparameters as fields or properties of its Options object.
    private static double? Option(ILearningRateController group, string name)
    {
        if (group is not ParamGroup { Options: { } options }) return null;
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.IgnoreCase;
        var value = options.GetType().GetField(name, flags)?.GetValue(options) ?? options.GetType().GetProperty(name, flags)?.GetValue(options);
        return value is null ? null : Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
