using Lightning.Hooks;

namespace Lightning.Loops;

/// <summary>Steps the learning-rate schedulers whose interval has come, with the monitored metric where needed.</summary>
internal static class Schedulers
{
    /// <param name="trainer">The trainer.</param>
    /// <param name="module">The module whose <c>LrSchedulerStep</c> hook steps them.</param>
    /// <param name="interval">Which schedulers: per step or per epoch.</param>
    /// <param name="count">
    /// What the frequency counts, as Lightning counts it: for step schedulers the batch index in the epoch plus one,
    /// for epoch schedulers the epoch plus one.
    /// </param>
    /// <param name="plateau">
    /// For epoch schedulers: false steps those that need no metric (right after the epoch's last optimizer step, as
    /// Lightning does, so a checkpoint saved at validation end already holds the stepped state); true steps the
    /// metric-driven ones once the epoch's metrics exist. Null steps both.
    /// </param>
    public static void Step(Trainer trainer, LightningModule module, SchedulerInterval interval, long count, bool? plateau = null)
    {
        // With manual optimization the training step steps its own schedulers, as in Lightning.
        if (!module.AutomaticOptimization) return;
        foreach (var config in trainer.SchedulerConfigs)
        {
            if (config.Interval != interval || count % config.Frequency != 0) continue;
            if (plateau is { } p && config.NeedsMetric != p) continue;
            double? metric = null;
            if (config.NeedsMetric || config.Monitor is not null)
            {
                if (!trainer.CallbackMetrics.TryGetValue(config.Monitor!, out var value))
                {
                    if (!config.Strict)
                    {
                        trainer.WarnOnce($"The learning-rate scheduler is conditioned on the metric '{config.Monitor}', which is not available, and Strict " +
                                         "is false, so its step is skipped.");
                        continue;
                    }
                    throw new MissingMetricException(config.Monitor!, trainer.CallbackMetrics.Keys, logged =>
                        $"The learning-rate scheduler monitors '{config.Monitor}', which was not logged. Logged metrics: {logged}. " +
                        "Log it with Log(...), or set Strict = false in the LRSchedulerConfig to skip steps without it.");
                }
                metric = value;
            }
            trainer.Hooks.Run(HookNames.LrSchedulerStep, () => module.LrSchedulerStep(config.Scheduler, config.NeedsMetric ? metric : null));
        }
    }
}
