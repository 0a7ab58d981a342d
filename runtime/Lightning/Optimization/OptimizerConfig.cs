using static TorchSharp.torch.optim;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Lightning;

/// <summary>
/// What <c>ConfigureOptimizers</c> returns: one or more optimizers, each with its schedulers. Every return
/// form of Lightning has a counterpart: an optimizer (implicit conversion), an optimizer and a scheduler,
/// lists of both, or an optimizer with a full <see cref="LRSchedulerConfig"/>.
/// </summary>
public sealed class OptimizerConfig
{
    /// <summary>Creates a configuration from optimizers and schedulers, as Lightning's two-list return form.</summary>
    public OptimizerConfig(IEnumerable<Optimizer> optimizers, IEnumerable<LRSchedulerConfig>? schedulers = null)
    {
        Optimizers = optimizers.ToList();
        Schedulers = (schedulers ?? []).ToList();
    }

    /// <summary>Creates a configuration of one optimizer and optional schedulers.</summary>
    public OptimizerConfig(Optimizer optimizer, params LRSchedulerConfig[] schedulers)
        : this([optimizer], schedulers)
    {
    }

    /// <summary>The optimizers, in the order <c>Optimizers()</c> returns them.</summary>
    public IReadOnlyList<Optimizer> Optimizers { get; }

    /// <summary>The schedulers and when each steps.</summary>
    public IReadOnlyList<LRSchedulerConfig> Schedulers { get; }

    /// <summary>One optimizer, no scheduler.</summary>
    public static implicit operator OptimizerConfig(Optimizer optimizer) => new(optimizer);

    /// <summary>One optimizer with one scheduler stepping per epoch, or as its configuration says.</summary>
    public static implicit operator OptimizerConfig((Optimizer Optimizer, LRSchedulerConfig Scheduler) pair) =>
        new(pair.Optimizer, pair.Scheduler);

    /// <summary>One optimizer with a plain scheduler (per epoch).</summary>
    public static implicit operator OptimizerConfig((Optimizer Optimizer, LRScheduler Scheduler) pair) =>
        new(pair.Optimizer, pair.Scheduler);

    /// <summary>Several optimizers, no schedulers.</summary>
    public static implicit operator OptimizerConfig(Optimizer[] optimizers) => new(optimizers);
}
