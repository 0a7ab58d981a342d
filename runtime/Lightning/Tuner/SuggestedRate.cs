using System.Reflection;
using Lightning.Checkpointing;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Lightning;

/// <summary>
/// Hands the learning-rate finder's suggestion to the optimizers a fit trains with, whatever built them (the module's
/// <c>ConfigureOptimizers</c>, or a <c>ConfigureOptimizersOverride</c> such as the CLI's <c>--optimizer</c>): it becomes
/// each parameter group's initial rate and the base rate of every scheduler over them, so the fit runs as if the
/// optimizer had been built with it. Lightning's <c>_lr_find</c> sets the groups' current rate alone, which a scheduler
/// computing from its base rate (<c>LambdaLR</c>, <c>CosineAnnealingLR</c>) undoes at its first step.
/// </summary>
internal static class SuggestedRate
{
    // TorchSharp's schedulers keep their optimizer and their base and last rates in internal fields (PyTorch's base_lrs and _last_lr).
    private static readonly FieldInfo OptimizerField = SchedulerField("_optimizer");
    private static readonly FieldInfo BaseLrs = SchedulerField("_base_lrs");
    private static readonly FieldInfo LastLrs = SchedulerField("_last_lrs");

    public static void Apply(Trainer trainer, double lr)
    {
        var schedulers = trainer.LrSchedulerConfigs.Select(c => c.Scheduler).ToList();
        if (schedulers.FirstOrDefault(s => s is impl.CyclicLR or impl.OneCycleLR) is { } own)
        {
            Output.Warn($"The learning-rate finder suggests {lr}, but {own.GetType().Name} sets the rates itself from its own arguments, " +
                "so the fit keeps them: pass the rate to the scheduler in ConfigureOptimizers (read it from a LearningRate property), " +
                "or use a scheduler that starts from the optimizer's rate.");
            return;
        }
        foreach (var optimizer in trainer.Optimizers)
            foreach (var group in optimizer.ParamGroups)
            {
                // What a schedule has made of the initial rate so far (a warm-up's first factor) carries over to the new one.
                var factor = group.InitialLearningRate > 0 && double.IsFinite(group.InitialLearningRate) ? group.LearningRate / group.InitialLearningRate : 1;
                group.InitialLearningRate = lr;
                group.LearningRate = lr * factor;
            }
        foreach (var scheduler in schedulers) Rebase(scheduler);
    }

    private static void Rebase(LRScheduler scheduler)
    {
        // In place: SequentialLR shares its first scheduler's list of last rates.
        if (OptimizerField.GetValue(scheduler) is TorchSharp.torch.optim.Optimizer optimizer)
        {
            var groups = optimizer.ParamGroups.ToList();
            if (BaseLrs.GetValue(scheduler) is IList<double> bases && bases.Count == groups.Count)
                for (var i = 0; i < groups.Count; i++) bases[i] = groups[i].InitialLearningRate;
            if (LastLrs.GetValue(scheduler) is IList<double> last && last.Count == groups.Count)
                for (var i = 0; i < groups.Count; i++) last[i] = groups[i].LearningRate;
        }
        foreach (var nested in SchedulerStates.Nested(scheduler)) Rebase(nested);
    }

    private static FieldInfo SchedulerField(string name) =>
        typeof(LRScheduler).GetField(name, BindingFlags.Instance | BindingFlags.NonPublic) ??
        throw new MissingFieldException(typeof(LRScheduler).FullName, name);
}
