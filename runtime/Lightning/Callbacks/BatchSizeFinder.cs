namespace Lightning;

/// <summary>
/// Finds the largest batch size that fits in memory when fitting starts and continues with it (Lightning's
/// <c>BatchSizeFinder</c> callback); see <see cref="Tuner.ScaleBatchSize{TBatch}"/> for the arguments. The loaders are
/// asked for after the search, so they read the size found. It does not run when fitting resumes from a checkpoint.
/// </summary>
public class BatchSizeFinder(BatchSizeScalingMode mode = BatchSizeScalingMode.Power, int stepsPerTrial = 3, int initVal = 2, int maxTrials = 25,
    string batchArgName = "BatchSize", Func<int, bool>? failsAt = null) : Callback
{
    /// <summary>The batch size found, once the search ran (Lightning's <c>optimal_batch_size</c>).</summary>
    public int? OptimalBatchSize { get; private set; }

    /// <inheritdoc />
    public override void OnFitStart(Trainer trainer, LightningModule module) => ScaleBatchSize(trainer, module);

    /// <summary>Runs the search; override <see cref="OnFitStart"/> to run it at another time (Lightning's <c>scale_batch_size</c>).</summary>
    public void ScaleBatchSize(Trainer trainer, LightningModule module) =>
        OptimalBatchSize = FitStartSearch.Run(trainer, module, "batch size finder", fit =>
            BatchSizeSearch.Run(trainer, module, trainer.DataModule, fit, mode, stepsPerTrial, initVal, maxTrials, batchArgName, failsAt));
}
