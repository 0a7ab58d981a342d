namespace Lightning;

/// <summary>
/// Runs the learning-rate range test when fitting starts and continues with the suggested rate (Lightning's
/// <c>LearningRateFinder</c> callback); see <see cref="Tuner.LrFind{TBatch}"/> for the arguments. The fit's optimizers
/// are configured again afterwards, so <c>ConfigureOptimizers</c> reads the rate found. It does not run when fitting
/// resumes from a checkpoint.
/// </summary>
public class LearningRateFinder(double minLr = 1e-8, double maxLr = 1, int numTraining = 100, LrFindMode mode = LrFindMode.Exponential,
    double? earlyStopThreshold = 4.0, bool updateAttr = true, string? attrName = null) : Callback
{
    /// <summary>The results of the search, once it ran (Lightning's <c>optimal_lr</c>).</summary>
    public LrFinder? OptimalLr { get; private set; }

    /// <inheritdoc />
    public override void OnFitStart(Trainer trainer, LightningModule module) => LrFind(trainer, module);

    /// <summary>Runs the search; override <see cref="OnFitStart"/> to run it at another time (Lightning's <c>lr_find</c>).</summary>
    public void LrFind(Trainer trainer, LightningModule module) =>
        OptimalLr = FitStartSearch.Run(trainer, module, "learning-rate finder", fit =>
            LrSearch.Run(trainer, module, trainer.DataModule, fit, minLr, maxLr, numTraining, mode, earlyStopThreshold, updateAttr, attrName));
}
