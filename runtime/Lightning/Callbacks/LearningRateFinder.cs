namespace Lightning;

/// <summary>
/// Runs the learning-rate range test when fitting starts and continues with the suggested rate (Lightning's
/// <c>LearningRateFinder</c> callback); see <see cref="Tuner.LrFind{TBatch}"/> for the arguments. With
/// <c>updateAttr</c>, the suggestion is set on the module's <c>Lr</c> or <c>LearningRate</c> property when it has one
/// (the one <c>attrName</c> names must be there), the fit's optimizers are configured again, and the suggestion becomes
/// their parameter groups' rate and the base rate of their schedulers, so the fit trains at it whatever built the
/// optimizer (a <c>ConfigureOptimizersOverride</c> such as the CLI's <c>--optimizer</c>, or a <c>ConfigureOptimizers</c>
/// with a fixed rate); Lightning sets the groups' current rate alone, which a scheduler computing from its base rate undoes.
/// It does not run when fitting resumes from a checkpoint.
/// </summary>
public class LearningRateFinder(double minLr = 1e-8, double maxLr = 1, int numTraining = 100, LrFindMode mode = LrFindMode.Exponential,
    double? earlyStopThreshold = 4.0, bool updateAttr = true, string? attrName = null) : Callback
{
    /// <summary>The results of the search, once it ran (Lightning's <c>optimal_lr</c>).</summary>
    public LrFinder? OptimalLr { get; private set; }

    /// <inheritdoc />
    public override void OnFitStart(Trainer trainer, LightningModule module) => LrFind(trainer, module);

    /// <summary>Runs the search; override <see cref="OnFitStart"/> to run it at another time (Lightning's <c>lr_find</c>).</summary>
    /// <exception cref="TunerException">The property <c>attrName</c> names is not there, or the module has several optimizers.</exception>
    public void LrFind(Trainer trainer, LightningModule module) =>
        OptimalLr = FitStartSearch.Run(trainer, module, "learning-rate finder", fit =>
            LrSearch.Run(trainer, module, trainer.DataModule, fit, minLr, maxLr, numTraining, mode, earlyStopThreshold, updateAttr, attrName, optimizersTakeIt: true),
            // The search made the suggestion (OptimalIndex) when it set the rate on the module.
            finder => { if (updateAttr && finder.OptimalIndex is { } index) SuggestedRate.Apply(trainer, finder.Lrs[index]); });
}
