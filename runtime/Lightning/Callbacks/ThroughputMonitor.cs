using System.Diagnostics;

namespace Lightning;

/// <summary>
/// Logs how fast batches and samples go through training, validation, testing and prediction (Lightning's
/// <c>ThroughputMonitor</c>): under <c>train/</c>, <c>validate/</c>, <c>test/</c> or <c>predict/</c>, the seconds since
/// the stage started (<c>time</c>), the batches and samples so far (<c>batches</c>, <c>samples</c>, and <c>lengths</c>
/// with a length function), and once <see cref="WindowSize"/> batches were seen, the rates over the last window:
/// <c>device/batches_per_sec</c> and <c>device/samples_per_sec</c> (with several processes also <c>batches_per_sec</c>
/// and <c>samples_per_sec</c> for all of them). Training logs after each optimizer step at the trainer's
/// <c>LogEveryNSteps</c>, the other stages after every batch; validation time does not count as training time.
/// Only global rank 0 measures. It needs a logger.
/// </summary>
public sealed class ThroughputMonitor : Callback
{
    private readonly Func<object, long> _batchSizeFn;
    private readonly Func<object, long?>? _lengthFn;
    private readonly Dictionary<RunningStage, Measure> _measures = [];

    /// <summary>Creates the monitor.</summary>
    /// <param name="batchSizeFn">The number of samples in a batch, for example <c>b => (((Tensor X, Tensor Y))b).X.shape[0]</c>.</param>
    /// <param name="lengthFn">The number of items (such as tokens) in a batch, or null not to count them.</param>
    /// <param name="windowSize">How many batches the rates are measured over.</param>
    /// <param name="separator">What joins the parts of a key.</param>
    public ThroughputMonitor(Func<object, long> batchSizeFn, Func<object, long?>? lengthFn = null, int windowSize = 100, string separator = "/")
    {
        ArgumentNullException.ThrowIfNull(batchSizeFn);
        ArgumentNullException.ThrowIfNull(separator);
        if (windowSize < 2)
            throw new ArgumentOutOfRangeException(nameof(windowSize), windowSize, "ThroughputMonitor(windowSize:) must be at least 2, so a rate spans one batch or more.");
        _batchSizeFn = batchSizeFn;
        _lengthFn = lengthFn;
        WindowSize = windowSize;
        Separator = separator;
    }

    /// <summary>How many batches the rates are measured over.</summary>
    public int WindowSize { get; }

    /// <summary>What joins the parts of a key.</summary>
    public string Separator { get; }

    /// <inheritdoc />
    public override void OnTrainStart(Trainer trainer, LightningModule module)
    {
        if (trainer.Loggers.Count == 0)
            throw new InvalidOperationException("ThroughputMonitor needs a logger, and this Trainer has none: leave TrainerOptions.Logger at its default or give one.");
        Start(trainer, RunningStage.Training);
    }

    /// <inheritdoc />
    public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx)
    {
        if (!trainer.IsGlobalZero) return;
        Update(RunningStage.Training, batch, trainer.Progress.TotalBatchIdx);
        // Only after a step, so the optimizer's time is in; at the trainer's logging interval.
        if (trainer.Progress.BatchStepped && trainer.GlobalStep % trainer.Options.LogEveryNSteps == 0)
            Log(trainer, RunningStage.Training, trainer.GlobalStep);
    }

    /// <inheritdoc />
    public override void OnValidationStart(Trainer trainer, LightningModule module)
    {
        if (!trainer.SanityChecking) Start(trainer, RunningStage.Validating);
    }

    /// <inheritdoc />
    public override void OnValidationBatchEnd(Trainer trainer, LightningModule module, StepOutput? outputs, object batch, int batchIdx, int dataloaderIdx)
    {
        if (!trainer.SanityChecking) UpdateAndLog(trainer, RunningStage.Validating, batch);
    }

    /// <inheritdoc />
    public override void OnValidationEnd(Trainer trainer, LightningModule module)
    {
        // Validation inside fit: the time since the last training batch, validation's included, is not training time.
        if (!trainer.SanityChecking && _measures.TryGetValue(RunningStage.Training, out var training) && training.LastUpdate != 0)
            training.Start += Stopwatch.GetTimestamp() - training.LastUpdate;
    }

    /// <inheritdoc />
    public override void OnTestStart(Trainer trainer, LightningModule module) => Start(trainer, RunningStage.Testing);

    /// <inheritdoc />
    public override void OnTestBatchEnd(Trainer trainer, LightningModule module, StepOutput? outputs, object batch, int batchIdx, int dataloaderIdx) =>
        UpdateAndLog(trainer, RunningStage.Testing, batch);

    /// <inheritdoc />
    public override void OnPredictStart(Trainer trainer, LightningModule module) => Start(trainer, RunningStage.Predicting);

    /// <inheritdoc />
    public override void OnPredictBatchEnd(Trainer trainer, LightningModule module, TorchSharp.torch.Tensor outputs, object batch, int batchIdx, int dataloaderIdx) =>
        UpdateAndLog(trainer, RunningStage.Predicting, batch);

    private void Start(Trainer trainer, RunningStage stage)
    {
        if (trainer.IsGlobalZero) _measures[stage] = new Measure(trainer.WorldSize);
    }

    private void UpdateAndLog(Trainer trainer, RunningStage stage, object batch)
    {
        if (!trainer.IsGlobalZero) return;
        var measure = _measures[stage];
        Update(stage, batch, measure.Batches + 1);
        Log(trainer, stage, measure.Batches);
    }

    private void Update(RunningStage stage, object batch, long batches)
    {
        var measure = _measures[stage];
        measure.Samples += _batchSizeFn(batch);
        if (_lengthFn?.Invoke(batch) is { } length) measure.Lengths += length;
        measure.Batches = batches;
        measure.LastUpdate = Stopwatch.GetTimestamp();
        measure.Window.Enqueue((Stopwatch.GetElapsedTime(measure.Start, measure.LastUpdate).TotalSeconds, batches, measure.Samples));
        if (measure.Window.Count > WindowSize) measure.Window.Dequeue();
    }

    private void Log(Trainer trainer, RunningStage stage, long step)
    {
        var measure = _measures[stage];
        var prefix = Prefix(stage) + Separator;
        var (time, batches, samples) = measure.Window.Last();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [prefix + "time"] = time,
            [prefix + "batches"] = batches,
            [prefix + "samples"] = samples,
        };
        if (_lengthFn is not null) metrics[prefix + "lengths"] = measure.Lengths;
        if (measure.Window.Count == WindowSize)
        {
            var first = measure.Window.Peek();
            var elapsed = time - first.Time;
            var batchesPerSecond = (batches - first.Batches) / elapsed;
            var samplesPerSecond = (samples - first.Samples) / elapsed;
            metrics[$"{prefix}device{Separator}batches_per_sec"] = batchesPerSecond;
            metrics[$"{prefix}device{Separator}samples_per_sec"] = samplesPerSecond;
            if (measure.WorldSize > 1)
            {
                // As Lightning's estimate: every process as fast as this one.
                metrics[prefix + "batches_per_sec"] = batchesPerSecond * measure.WorldSize;
                metrics[prefix + "samples_per_sec"] = samplesPerSecond * measure.WorldSize;
            }
        }
        foreach (var (name, value) in metrics) trainer.Logging.CallbackMetrics[name] = value;
        trainer.Logging.LogToLoggers(metrics, step);
    }

    // Lightning's stage names.
    private static string Prefix(RunningStage stage) => stage switch
    {
        RunningStage.Training => "train",
        RunningStage.Validating => "validate",
        RunningStage.Testing => "test",
        _ => "predict",
    };

    private sealed class Measure(int worldSize)
    {
        public long Start { get; set; } = Stopwatch.GetTimestamp();

        public long LastUpdate { get; set; }

        public long Batches { get; set; }

        public long Samples { get; set; }

        public long Lengths { get; set; }

        public int WorldSize { get; } = worldSize;

        public Queue<(double Time, long Batches, long Samples)> Window { get; } = new();
    }
}
