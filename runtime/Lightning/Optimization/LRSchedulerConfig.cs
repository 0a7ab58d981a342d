using static TorchSharp.torch.optim.lr_scheduler;

namespace Lightning;

/// <summary>
/// A learning-rate scheduler and when to step it: Lightning's <c>lr_scheduler</c> dictionary
/// (<c>{"scheduler": s, "interval": "step", "frequency": 1, "monitor": "val_loss"}</c>).
/// </summary>
public sealed class LRSchedulerConfig
{
    /// <summary>Creates a configuration for <paramref name="scheduler"/>.</summary>
    public LRSchedulerConfig(LRScheduler scheduler) => Scheduler = scheduler;

    /// <summary>The scheduler to step.</summary>
    public LRScheduler Scheduler { get; }

    /// <summary>Step after every epoch (default) or after every optimizer step.</summary>
    public SchedulerInterval Interval { get; init; } = SchedulerInterval.Epoch;

    /// <summary>Step every this many intervals; at least 1.</summary>
    public int Frequency { get; init; } = 1;

    /// <summary>
    /// The logged metric passed to the scheduler's step, as <c>ReduceLROnPlateau</c> needs. Required for
    /// <c>ReduceLROnPlateau</c>.
    /// </summary>
    public string? Monitor { get; init; }

    /// <summary>When <see langword="true"/> (default), a missing <see cref="Monitor"/> metric is an error; otherwise the step is skipped with a warning.</summary>
    public bool Strict { get; init; } = true;

    /// <summary>The name <c>LearningRateMonitor</c> logs this scheduler's rate under; default <c>lr-{OptimizerType}</c>.</summary>
    public string? Name { get; init; }

    /// <summary>Whether the scheduler needs a metric value to step (<c>ReduceLROnPlateau</c>).</summary>
    public bool NeedsMetric => Scheduler is impl.ReduceLROnPlateau;

    /// <summary>Wraps a scheduler with Lightning's defaults (per epoch, frequency 1).</summary>
    public static implicit operator LRSchedulerConfig(LRScheduler scheduler) => new(scheduler);
}
