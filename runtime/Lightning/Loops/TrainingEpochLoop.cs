using Lightning.Hooks;
using Lightning.Logging;
using TorchSharp;

namespace Lightning.Loops;

/// <summary>
/// One epoch of training batches (Lightning's <c>_TrainingEpochLoop</c>): batch transfer and hooks, the training
/// step, automatic optimization with accumulation, step-level metrics and schedulers, and validation checks.
/// </summary>
internal sealed class TrainingEpochLoop<TBatch>
{
    private readonly Trainer _trainer;
    private readonly LightningModule<TBatch> _module;
    private readonly ResultCollection _results;
    private readonly Action _validate;
    private readonly Action _returnToTraining;
    private readonly bool _keepOutputs;
    private List<StepOutput>? _kept;
    private readonly NonFiniteLossWatch _nonFiniteLoss;

    /// <param name="trainer">The trainer.</param>
    /// <param name="module">The module.</param>
    /// <param name="results">The epoch's logged metrics.</param>
    /// <param name="validate">Runs a validation check.</param>
    /// <param name="returnToTraining">What follows validation's end hooks, for a fit resumed from a checkpoint saved there.</param>
    public TrainingEpochLoop(Trainer trainer, LightningModule<TBatch> module, ResultCollection results, Action validate, Action returnToTraining)
    {
        _trainer = trainer;
        _module = module;
        _results = results;
        _validate = validate;
        _returnToTraining = returnToTraining;
        _keepOutputs = module.Overrides(nameof(LightningModule<TBatch>.TrainingEpochEnd));
        _nonFiniteLoss = new NonFiniteLossWatch(trainer);
    }

    /// <summary>The epoch's step outputs, kept only when the module overrides <c>TrainingEpochEnd</c>.</summary>
    public IReadOnlyList<StepOutput>? KeptOutputs => _kept;

    /// <summary>
    /// How the latest <see cref="Run"/> ended, as the phase the epoch's end leaves: <see cref="FitPhase.EpochEnded"/>
    /// after its last batch, <see cref="FitPhase.EpochCut"/> when a step limit or a stop request ended it before,
    /// <see cref="FitPhase.EpochRestSkipped"/> when the module's <c>OnTrainBatchStart</c> returned -1 before it.
    /// </summary>
    public FitPhase Ending { get; private set; }

    /// <summary>
    /// Runs the epoch's batches, or, when fitting resumed inside this epoch, the rest of them: the loader skips
    /// the batches already done and the work that followed the last of them completes first.
    /// </summary>
    public void Run(IEnumerable<TBatch> loader, Func<bool> hasValidation)
    {
        var t = _trainer;
        // A cut epoch starts again (with its start hooks) at its first batch not yet run; other phases resume inside a batch's work.
        var resumed = t.Progress.Phase is not FitPhase.EpochStart and not FitPhase.EpochCut;
        Ending = FitPhase.EpochEnded;
        _kept = _keepOutputs ? (resumed ? t.Progress.EpochOutputs : null) ?? [] : null;
        t.Progress.EpochOutputs = _kept;
        if (loader is IEpochAware epochAware) epochAware.SetEpoch(t.CurrentEpoch);
        var length = BatchCounter.Count(loader);
        if (length == 0) throw BatchIterator<TBatch>.Empty("training loader");
        var batchCount = Limits.Train(t, length);
        t.Progress.SizeEpoch(batchCount);
        if (batchCount == 0) return;

        t.Logging.Results = _results;
        if (!resumed)
        {
            t.Hooks.Call(HookNames.OnTrainEpochStart, c => c.OnTrainEpochStart(t, _module), _module.OnTrainEpochStart);
        }

        using var batches = new BatchIterator<TBatch>(loader, length, batchCount ?? int.MaxValue, "training loader", skip: t.BatchesCompletedInEpoch);
        if (resumed && FinishBatch(t.BatchesCompletedInEpoch - 1, isLast: !batches.HasNext, hasValidation))
        {
            if (batches.HasNext) Ending = FitPhase.EpochCut;
            return;
        }
        while (batches.TryNext(out var batch, out var isLast))
        {
            var batchIdx = batches.Index - 1;
            if (!RunBatch(batch, batchIdx, isLast))
            {
                // On the last batch, -1 leaves an epoch that reached its end, as Lightning's counts of ready batches do.
                if (!isLast) Ending = FitPhase.EpochRestSkipped;
                break;
            }
            if (!FinishBatch(batchIdx, isLast, hasValidation)) continue;
            if (!isLast) Ending = FitPhase.EpochCut;
            break;
        }
        _nonFiniteLoss.Check();
    }

    /// <summary>Runs one batch; returns false when the module's <c>OnTrainBatchStart</c> returned -1, which ends the epoch there.</summary>
    private bool RunBatch(TBatch batch, int batchIdx, bool isLast)
    {
        var t = _trainer;
        var module = _module;
        using var current = BatchScope<TBatch>.Open(t, module, batch, batchIdx, 0);
        var onDevice = current.Batch;
        var response = 0;
        t.Hooks.Call(HookNames.OnTrainBatchStart, c => c.OnTrainBatchStart(t, module, onDevice!, batchIdx),
            () => response = module.OnTrainBatchStart(onDevice, batchIdx));
        // Lightning's `return -1`: neither this batch nor the rest of the epoch trains, and no validation check follows
        // (Lightning skips the batch's on_advance_end); the epoch ends as usual and the next one runs in full.
        if (response == -1) return false;

        // A step that returns null skips the batch under automatic optimization, as Lightning's None does.
        var returned = Step(onDevice, batchIdx, logLegacy: true);
        var output = returned ?? new StepOutput();

        if (module.AutomaticOptimization) Optimize(returned, batchIdx, isLast, () => Step(onDevice, batchIdx, logLegacy: false));
        if (_kept is not null) _kept.Add(output.DetachedCopy());

        t.Progress.CompleteBatch();
        t.Logging.PreviewStep(_results);
        t.Hooks.Call(HookNames.OnTrainBatchEnd, c => c.OnTrainBatchEnd(t, module, output, onDevice!, batchIdx),
            () => module.OnTrainBatchEnd(output, onDevice, batchIdx));
        return true;
    }

    /// <summary>
    /// The work after a batch's hooks, from the phase recorded: its step metrics, a validation check if one is
    /// due, the return from validation, then the stop checks. Returns whether the epoch ends here.
    /// </summary>
    private bool FinishBatch(int batchIdx, bool isLast, Func<bool> hasValidation)
    {
        var t = _trainer;
        if (t.Progress.Phase == FitPhase.BatchEnded)
        {
            t.Logging.Results = _results;
            var published = t.Logging.PublishStep(_results, t.GlobalStep, toLoggers: t.Progress.BatchStepped && t.GlobalStep % t.Options.LogEveryNSteps == 0, t.CurrentEpoch);
            _nonFiniteLoss.Observe(published.Callback, t.GlobalStep);
            if (ShouldValidate(batchIdx, isLast) && hasValidation()) _validate();
        }
        else if (t.Progress.Phase == FitPhase.ValidationEnded)
        {
            _returnToTraining();
        }
        t.Progress.Phase = FitPhase.BatchDone;
        t.Logging.Results = _results;
        return t.Progress.EpochDone;
    }

    /// <summary>The training step; <paramref name="logLegacy"/> logs its 0.x dictionaries as the step's (not again when the optimizer's closure repeats it).</summary>
    private StepOutput? Step(TBatch batch, int batchIdx, bool logLegacy)
    {
        var t = _trainer;
        t.Strategy.BeforeTrainingStep(_module);
        return t.Hooks.Run(HookNames.TrainingStep, () =>
        {
            StepOutput? output;
            using (t.Precision.ForwardContext())
                output = _module.TrainingStep(batch, batchIdx);
            if (logLegacy) LegacyOutputs.Log(t, output, onStep: true);
            return output;
        });
    }

    /// <summary>
    /// Automatic optimization: zero-grad at the start of an accumulation window, backward, step at its end. The
    /// optimizer gets a closure that runs the step again for optimizers that evaluate the loss more than once (LBFGS).
    /// A step that returned null skips the batch: no backward and no update; at the end of a window it still counts
    /// as an optimizer step (the global step and step-interval schedulers advance), as Lightning counts it.
    /// </summary>
    private void Optimize(StepOutput? output, int batchIdx, bool isLast, Func<StepOutput?> stepAgain)
    {
        var t = _trainer;
        var optimizer = t.LightningOptimizers[0].Optimizer;
        var accumulate = t.AccumulateGradBatches;
        var endsWindow = (batchIdx + 1) % accumulate == 0 || isLast;
        if (output is not null)
        {
            if (batchIdx % accumulate == 0) OptimizationStep.ZeroGrad(t, optimizer, batchIdx);
            var loss = Backward(output, batchIdx, syncGradients: endsWindow);
            if (!endsWindow) return;
            OptimizationStep.Step(t, optimizer, batchIdx, OptimizerClosure.FirstResultReused(loss, () =>
            {
                OptimizationStep.ZeroGrad(t, optimizer, batchIdx);
                return Backward(stepAgain(), batchIdx, syncGradients: true);
            }));
        }
        else if (!endsWindow)
        {
            return;
        }
        t.Progress.CountStep();
        Schedulers.Step(t, _module, SchedulerInterval.Step, batchIdx + 1);
        if (isLast) Schedulers.Step(t, _module, SchedulerInterval.Epoch, t.CurrentEpoch + 1, plateau: false);
    }

    /// <summary>
    /// Checks the step's loss and runs the backward pass on it (divided over the accumulation window), reducing the
    /// gradients across processes when <paramref name="syncGradients"/> (the window's last batch); returns the loss.
    /// </summary>
    private torch.Tensor Backward(StepOutput? output, int batchIdx, bool syncGradients)
    {
        var t = _trainer;
        var loss = output?.Loss ?? throw new InvalidOperationException(
            $"{_module.GetType().Name}.TrainingStep returned no loss (keys: {string.Join(", ", output?.Keys ?? [])}). With automatic optimization " +
            "return the loss tensor, or a StepOutput with a \"loss\" entry (return null to skip a batch); or set AutomaticOptimization = false to optimize by hand.");
        if (loss.numel() != 1)
            throw new InvalidOperationException(
                $"{_module.GetType().Name}.TrainingStep returned a loss of shape [{string.Join(", ", loss.shape)}]; it must be a scalar. Reduce it, for example with .mean().");
        if (t.Options.DetectAnomaly)
        {
            var value = loss.ToDouble();
            if (!double.IsFinite(value))
                throw new ArithmeticException(
                    $"DetectAnomaly: TrainingStep returned a {(double.IsNaN(value) ? "NaN" : "infinite")} loss at epoch {t.CurrentEpoch}, batch {batchIdx}, " +
                    $"global step {t.GlobalStep}. Check the learning rate, the inputs of that batch and any log or division in the loss.");
        }
        var accumulate = t.AccumulateGradBatches;
        OptimizationStep.Backward(t, accumulate == 1 ? loss : loss / accumulate, syncGradients);
        return loss;
    }

    /// <summary>Lightning's <c>_should_check_val_fx</c>: the epoch is a validation epoch and this batch ends an interval.</summary>
    private bool ShouldValidate(int batchIdx, bool isLast)
    {
        var t = _trainer;
        var everyN = Limits.ValEveryNEpochs(t);
        if (everyN is { } n && (t.CurrentEpoch + 1) % n != 0) return false;
        if (t.Progress.StopTakesEffect) return true;
        var interval = Limits.ValInterval(t);
        if (interval.Fraction is 1.0) return isLast;
        var every = interval.Count ?? Math.Max(1, (int)Math.Floor((t.NumTrainingBatches ?? 0) * interval.Fraction!.Value));
        var iteration = everyN is null ? t.Progress.TotalBatchIdx - 1 : batchIdx;
        return (iteration + 1) % every == 0;
    }
}
