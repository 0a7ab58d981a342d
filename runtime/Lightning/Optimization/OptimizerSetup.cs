using Lightning.Hooks;

namespace Lightning;

/// <summary>
/// Turns what <c>ConfigureOptimizers</c> returns into the run's optimizers and schedulers (Lightning's
/// <c>_init_optimizers_and_lr_schedulers</c>), checking it against the module's kind of optimization.
/// </summary>
internal static class OptimizerSetup
{
    /// <summary>Calls <c>ConfigureOptimizers</c> (or what replaces it) and checks what it returned.</summary>
    /// <exception cref="InvalidOperationException">No optimizer, or one the module's kind of optimization cannot use.</exception>
    public static (List<LightningOptimizer> Optimizers, List<LRSchedulerConfig> Schedulers) Configure(Trainer trainer, LightningModule model)
    {
        var config = trainer.Hooks.Run(HookNames.ConfigureOptimizers, () => model.ConfigureOptimizersOverride is { } chosen ? chosen() : model.ConfigureOptimizers());
        if (config is not null && trainer.OptimizerOverride is { } replace) config = replace(config);
        if (config is null || config.Optimizers.Count == 0)
            throw new InvalidOperationException(
                $"{model.GetType().Name}.ConfigureOptimizers() returned no optimizer. Return one, for example " +
                "`return torch.optim.Adam(parameters(), lr: 1e-3);`, or an OptimizerConfig with optimizers and schedulers.");
        if (!model.AutomaticOptimization && trainer.Options.GradientClipVal is > 0)
            throw new InvalidOperationException(
                $"Automatic gradient clipping is not supported for manual optimization ({model.GetType().Name} sets AutomaticOptimization = false). " +
                "Remove TrainerOptions.GradientClipVal, or clip in the training step with ClipGradients(optimizer, gradientClipVal: ...) before stepping.");
        if (model.AutomaticOptimization && config.Optimizers.Count > 1)
            throw new InvalidOperationException(
                $"{model.GetType().Name}.ConfigureOptimizers() returned {config.Optimizers.Count} optimizers. Several optimizers need manual " +
                "optimization: set AutomaticOptimization = false in the constructor and step each optimizer in TrainingStep.");
        foreach (var scheduler in config.Schedulers)
        {
            if (scheduler.Frequency < 1)
                throw new ArgumentOutOfRangeException(nameof(LRSchedulerConfig.Frequency), scheduler.Frequency,
                    "An LRSchedulerConfig's Frequency must be at least 1.");
            if (scheduler.NeedsMetric && string.IsNullOrEmpty(scheduler.Monitor))
                throw new InvalidOperationException(
                    "ReduceLROnPlateau needs a metric: return it in an LRSchedulerConfig with Monitor = \"val_loss\" (or another logged metric).");
        }
        return (config.Optimizers.Select(o => new LightningOptimizer(o, trainer)).ToList(), config.Schedulers.ToList());
    }
}
