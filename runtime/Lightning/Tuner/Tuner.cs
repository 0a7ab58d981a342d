namespace Lightning;

/// <summary>
/// Finds a learning rate and a batch size for a module before the real run (Lightning's <c>Tuner</c>). Each search
/// runs short fits with a trainer of its own built from this trainer's options, then puts the module, the data module
/// and the random-number state back as they were (weights bit for bit), apart from the value it sets; this trainer is
/// not touched. The value goes into a public settable property the user's code reads: <c>LearningRate</c> or
/// <c>Lr</c> in <c>ConfigureOptimizers</c>, <c>BatchSize</c> in the loaders, or the property named by
/// <c>attrName</c>/<c>batchArgName</c>, on the module or the data module (and a hyperparameter of that name).
/// </summary>
/// <example>
/// <code>
/// var trainer = new Trainer(new TrainerOptions { MaxEpochs = 10 });
/// var tuner = new Tuner(trainer);
/// var finder = tuner.LrFind(model, dataModule: data);   // sets model.LearningRate to finder.Suggestion()
/// tuner.ScaleBatchSize(model, dataModule: data);        // sets data.BatchSize
/// trainer.Fit(model, dataModule: data);
/// </code>
/// </example>
public sealed class Tuner
{
    private readonly Trainer _trainer;

    /// <summary>A tuner for runs with <paramref name="trainer"/>'s options (device, precision, accumulation, limits).</summary>
    public Tuner(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        _trainer = trainer;
    }

    /// <summary>
    /// The learning-rate range test (Lightning's <c>lr_find</c>): trains <paramref name="numTraining"/> steps while the
    /// rate rises from <paramref name="minLr"/> to <paramref name="maxLr"/>, stopping early once the smoothed loss exceeds
    /// <paramref name="earlyStopThreshold"/> times its best, and returns the rates and losses. With
    /// <paramref name="updateAttr"/>, the suggested rate (<see cref="LrFinder.Suggestion"/>) is set on the property
    /// <paramref name="attrName"/>, or <c>Lr</c>, or <c>LearningRate</c>. Returns null when <c>FastDevRun</c> is on.
    /// </summary>
    /// <exception cref="TunerException">No property to set, or <c>ConfigureOptimizers</c> returns several optimizers.</exception>
    public LrFinder? LrFind<TBatch>(LightningModule<TBatch> model, IEnumerable<TBatch>? trainDataloaders = null,
        IEnumerable<TBatch>? valDataloaders = null, LightningDataModule<TBatch>? dataModule = null, double minLr = 1e-8, double maxLr = 1,
        int numTraining = 100, LrFindMode mode = LrFindMode.Exponential, double? earlyStopThreshold = 4.0, bool updateAttr = true,
        string? attrName = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return LrSearch.Run(_trainer, model, dataModule, t => t.Fit(model, trainDataloaders, valDataloaders, dataModule),
            minLr, maxLr, numTraining, mode, earlyStopThreshold, updateAttr, attrName);
    }

    /// <summary>
    /// Finds the largest batch size that fits in memory (Lightning's <c>scale_batch_size</c>): trial fits of
    /// <paramref name="stepsPerTrial"/> steps from <paramref name="initVal"/>, doubling until one runs out of memory (or one
    /// batch holds all the training data), then
    /// as <paramref name="mode"/> says; at most <paramref name="maxTrials"/> sizes that fit are tried. The size found is set
    /// on the property <paramref name="batchArgName"/> of the module or data module, which the loaders must read. Out of
    /// memory is LibTorch's error (CUDA's, or the CPU allocator's); <paramref name="failsAt"/> marks sizes the caller knows
    /// do not fit (a memory budget on the CPU, where memory rarely runs out first) as failures without running them.
    /// Returns the size, or null when <c>FastDevRun</c> is on.
    /// </summary>
    /// <exception cref="TunerException">No such property, or even batch size 1 runs out of memory.</exception>
    public int? ScaleBatchSize<TBatch>(LightningModule<TBatch> model, IEnumerable<TBatch>? trainDataloaders = null,
        IEnumerable<TBatch>? valDataloaders = null, LightningDataModule<TBatch>? dataModule = null,
        BatchSizeScalingMode mode = BatchSizeScalingMode.Power, int stepsPerTrial = 3, int initVal = 2, int maxTrials = 25,
        string batchArgName = "BatchSize", Func<int, bool>? failsAt = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return BatchSizeSearch.Run(_trainer, model, dataModule, t => t.Fit(model, trainDataloaders, valDataloaders, dataModule),
            mode, stepsPerTrial, initVal, maxTrials, batchArgName, failsAt);
    }
}
