using static TorchSharp.torch.optim;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Lightning;

/// <summary>
/// The learning-rate range test (Lightning's <c>_lr_find</c>): a short fit whose one optimizer starts at
/// <c>minLr</c> and whose rate rises to <c>maxLr</c> over <c>numTraining</c> steps, recording the smoothed loss;
/// then everything is put back and the suggested rate set on the module's property. <see cref="Tuner"/> and
/// <see cref="LearningRateFinder"/> both run it; the callback also hands the rate to the fit's optimizers
/// (<see cref="SuggestedRate"/>), so only it can do without a property.
/// </summary>
internal static class LrSearch
{
    /// <summary>The properties looked for when no name is given, as Lightning looks for <c>lr</c> then <c>learning_rate</c>.</summary>
    private static readonly string[] DefaultNames = ["Lr", "LearningRate"];

    public static LrFinder? Run(Trainer outer, LightningModule model, LightningDataModule? dataModule, Action<Trainer> fit,
        double minLr, double maxLr, int numTraining, LrFindMode mode, double? earlyStopThreshold, bool updateAttr, string? attrName,
        bool optimizersTakeIt = false)
    {
        if (!(minLr > 0) || !double.IsFinite(minLr))
            throw new ArgumentOutOfRangeException(nameof(minLr), minLr, "minLr must be a positive number, such as 1e-8.");
        if (!(maxLr > minLr) || !double.IsFinite(maxLr))
            throw new ArgumentOutOfRangeException(nameof(maxLr), maxLr, $"maxLr must be a finite number above minLr ({minLr}), such as 1.");
        ArgumentOutOfRangeException.ThrowIfLessThan(numTraining, 2);
        if (earlyStopThreshold is { } threshold && !(threshold > 0))
            throw new ArgumentOutOfRangeException(nameof(earlyStopThreshold), threshold, "earlyStopThreshold must be positive (4 stops at four times the best loss), or null to never stop early.");
        if (outer.FastDev)
        {
            Output.Info(outer, "Skipping the learning-rate finder since FastDevRun is enabled.");
            return null;
        }
        // A property the user named must be there; Lr or LearningRate only when nothing else takes the rate.
        var setting = !updateAttr ? null
            : attrName is null && optimizersTakeIt ? TunedSetting.Find(model, dataModule, DefaultNames)
            : Setting(model, dataModule, attrName, optimizersTakeIt);

        var recorder = new LrFinderRecorder(earlyStopThreshold);
        using (var snapshot = new TunerSnapshot(model, dataModule))
        {
            try
            {
                var search = SearchRun.Trainer(outer, [recorder], options =>
                {
                    options.MaxSteps = numTraining;
                    // The rate depends on the training loss only; validation would only cost time.
                    options.LimitValBatches = 0;
                    options.NumSanityValSteps = 0;
                }, "learning-rate finder");
                search.OptimizerOverride = config => WithRangeSchedule(config, minLr, maxLr, numTraining, mode);
                fit(search);
            }
            finally
            {
                snapshot.Restore();
            }
        }
        var steps = Math.Min(recorder.Lrs.Count, recorder.Losses.Count);
        if (steps < numTraining)
            Output.Info(outer, $"The learning-rate finder stopped early after {steps} steps due to diverging loss.");
        var result = new LrFinder(mode, minLr, maxLr, numTraining, recorder.Lrs.Take(steps).ToList(), recorder.Losses.Take(steps).ToList());
        if (updateAttr && result.Suggestion() is { } lr)
        {
            setting?.Set(lr);
            Output.Info(outer, $"Learning rate set to {lr}");
        }
        return result;
    }

    private static TunedSetting Setting(LightningModule model, LightningDataModule? dataModule, string? attrName, bool optimizersTakeIt) =>
        TunedSetting.Find(model, dataModule, attrName is null ? DefaultNames : [attrName]) ?? throw new TunerException(
            attrName is null
                ? $"The learning-rate finder sets the rate it finds on a public settable property named Lr or LearningRate of {model.GetType().Name} " +
                  "(or the data module), which ConfigureOptimizers reads. Add one, e.g. `public double LearningRate { get; set; } = 1e-3;`, " +
                  "pass attrName to name yours, or pass updateAttr: false to only get the results."
                : $"Neither {model.GetType().Name} nor the data module has a public settable property named '{attrName}' for the learning-rate finder to set. " +
                  "Check the name (attrName is the C# property name, e.g. \"LearningRate\"), " +
                  (optimizersTakeIt ? "leave attrName out to set the rate on the fit's optimizer alone, " : "") + "or pass updateAttr: false.");

    // Lightning's _exchange_scheduler: the rate starts at minLr and a scheduler stepping every step raises it.
    private static OptimizerConfig WithRangeSchedule(OptimizerConfig config, double minLr, double maxLr, int numTraining, LrFindMode mode)
    {
        if (config.Optimizers.Count != 1)
            throw new TunerException(
                $"The learning-rate finder works with one optimizer, and ConfigureOptimizers returned {config.Optimizers.Count}.");
        var optimizer = config.Optimizers[0];
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = minLr;
            group.InitialLearningRate = minLr;
        }
        var ratio = maxLr / minLr;
        // As Lightning's _ExponentialLR and _LinearLR: the first step at the base rate, step k > 0 at fraction (k + 1) / numTraining of the way.
        Func<int, double> factor = mode == LrFindMode.Exponential
            ? k => k == 0 ? 1 : Math.Pow(ratio, (k + 1) / (double)numTraining)
            : k => k == 0 ? 1 : 1 + (k + 1) / (double)numTraining * (ratio - 1);
        return new OptimizerConfig(optimizer, new LRSchedulerConfig(LambdaLR(optimizer, factor)) { Interval = SchedulerInterval.Step });
    }
}
