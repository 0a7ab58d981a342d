using Lightning.Hooks;
using Lightning.Logging;

namespace Lightning.Loops;

/// <summary>
/// Epochs of training until a limit or a callback stops them (Lightning's <c>_FitLoop</c>): the fit-level
/// hooks, the sanity check, and for each epoch the <see cref="TrainingEpochLoop{TBatch}"/> and the epoch-end
/// hooks, metrics and schedulers.
/// </summary>
internal sealed class FitLoop<TBatch>
{
    private readonly Trainer _trainer;
    private readonly LightningModule<TBatch> _module;
    private readonly DataSource<TBatch> _data;
    private readonly EvaluationLoop<TBatch> _validation;
    private readonly ResultCollection _results = new(training: true);
    private IReadOnlyList<IEnumerable<TBatch>>? _valLoaders;
    private IEnumerable<TBatch>? _trainLoader;

    public FitLoop(Trainer trainer, LightningModule<TBatch> module, DataSource<TBatch> data)
    {
        _trainer = trainer;
        _module = module;
        _data = data;
        _validation = new EvaluationLoop<TBatch>(trainer, module, EvaluationStage<TBatch>.Validation);
    }

    public void Run(string? ckptPath)
    {
        var t = _trainer;
        t.TrainBatchesPerEpoch = TrainBatchesPerEpoch;
        // A second Fit on the same trainer continues from where the first stopped, as Lightning's loops keep their
        // progress: once MaxEpochs is reached it trains no more, and raising MaxEpochs trains the epochs added.
        if (!t.Progress.Started) t.Progress.Start(t.Options.AccumulateGradBatches);
        t.Progress.EpochResults = _results;
        // With an OnExceptionCheckpoint, fitting picks up from the newest "last" checkpoint unless told otherwise, as in Lightning.
        var implicitLast = ckptPath is null && t.ResumesFromLastByDefault;
        void Configure()
        {
            RunHooks.ConfigureModel(t, _module);
            t.ConfigureOptimizers(_module);
        }
        var restoring = implicitLast || ckptPath is not null;
        using var resume = restoring
            ? Checkpointing.CheckpointConnector.RestoreForFit(t, _module, ckptPath ?? "last", Configure, warnIfMissing: !implicitLast)
            : null;
        if (!restoring) Configure();

        t.Hooks.Call(HookNames.OnFitStart, c => c.OnFitStart(t, _module), _module.OnFitStart);
        _module.zero_grad();

        if (ValidationEnabled) RunSanityCheck();
        resume?.Apply(t, _module);

        t.State.Stage = RunningStage.Training;
        var trainLoader = TrainLoader();
        t.Hooks.Call(HookNames.OnTrainStart, c => c.OnTrainStart(t, _module), _module.OnTrainStart);

        var epochLoop = new TrainingEpochLoop<TBatch>(t, _module, _results, RunValidation, ReturnToTraining);
        // A checkpoint taken at an epoch's end resumes with the rest of that epoch's end.
        var going = t.Progress.Phase is not (FitPhase.EpochEnded or FitPhase.EpochRestSkipped) || FinishEpoch();
        while (going && !t.Progress.FitDone)
        {
            if (t.Options.ReloadDataloadersEveryNEpochs > 0 && t.CurrentEpoch > 0 && t.Progress.Phase == FitPhase.EpochStart &&
                t.CurrentEpoch % t.Options.ReloadDataloadersEveryNEpochs == 0)
            {
                trainLoader = Overfit(_data.Train(), "training") ?? trainLoader;
                _valLoaders = null;
            }
            if (t.Progress.Phase == FitPhase.EpochStart) _results.Reset();
            epochLoop.Run(trainLoader, () => ValidationEnabled && HasValidation(ValLoaders()));
            EndEpoch(epochLoop.KeptOutputs, epochLoop.Ending);
            going = FinishEpoch();
        }

        t.State.Stage = RunningStage.Training;
        t.Hooks.Call(HookNames.OnTrainEnd, c => c.OnTrainEnd(t, _module), _module.OnTrainEnd);
        t.Hooks.Call(HookNames.OnFitEnd, c => c.OnFitEnd(t, _module), _module.OnFitEnd);
    }

    /// <summary>
    /// The training loader, asked for once: after the sanity check as Lightning asks, or earlier when
    /// <c>ConfigureOptimizers</c> reads <see cref="Trainer.EstimatedSteppingBatches"/>.
    /// </summary>
    private IEnumerable<TBatch> TrainLoader() => _trainLoader ??= Overfit(_data.Train(), "training") ?? throw new InvalidOperationException(
        $"Trainer.Fit found no training data: pass trainDataloaders, give a dataModule, or override {_module.GetType().Name}.TrainDataLoader().");

    /// <summary>Training batches per epoch after limits, or null for a loader of unknown length.</summary>
    private int? TrainBatchesPerEpoch() => Limits.Train(_trainer, BatchCounter.Count(TrainLoader()));

    private bool ValidationEnabled => _module.Overrides(nameof(LightningModule<TBatch>.ValidationStep)) && !Limits.ValOff(_trainer);

    /// <summary>The validation loaders, asked for when first needed, as Lightning asks for them.</summary>
    private IReadOnlyList<IEnumerable<TBatch>> ValLoaders()
        => _valLoaders ??= _data.Val().Select(loader => Overfit(loader, "validation")!).ToList();

    /// <summary>
    /// With <c>OverfitBatches</c>, the loader without shuffling, as Lightning turns it off (with a warning) so every
    /// epoch sees the same few batches; validation runs on the validation loader, limited to as many batches.
    /// </summary>
    private IEnumerable<TBatch>? Overfit(IEnumerable<TBatch>? loader, string what)
    {
        if (loader is not IShuffledLoader<TBatch> { Shuffle: true } shuffled || !Limits.Overfitting(_trainer)) return loader;
        Output.Warn($"You requested to overfit but enabled {what} loader shuffling. Shuffling is turned off for you.");
        return shuffled.InOrder();
    }

    private bool HasValidation(IReadOnlyList<IEnumerable<TBatch>> loaders) =>
        loaders.Count > 0 && loaders.Any(l => Limits.Val(_trainer, l) > 0);

    private void RunSanityCheck()
    {
        var t = _trainer;
        var steps = Limits.SanitySteps(t);
        if (steps == 0) return;
        var previous = t.State.Stage;
        t.State.Stage = RunningStage.SanityChecking;
        t.Hooks.Call(HookNames.OnSanityCheckStart, c => c.OnSanityCheckStart(t, _module));
        var loaders = ValLoaders();
        if (HasValidation(loaders))
        {
            _validation.Run(loaders, loader => steps == -1 ? Limits.Val(t, loader) : Math.Min(steps, Limits.Val(t, loader)), inFit: true);
            _validation.ReturnToTraining();
        }
        t.Logging.CallbackMetrics.Clear();
        t.Logging.ProgressBarMetrics.Clear();
        t.Hooks.Call(HookNames.OnSanityCheckEnd, c => c.OnSanityCheckEnd(t, _module));
        t.State.Stage = previous;
    }

    private void RunValidation()
    {
        var t = _trainer;
        t.State.Stage = RunningStage.Validating;
        _validation.Run(ValLoaders(), loader => Limits.Val(t, loader), inFit: true);
        ReturnToTraining();
    }

    /// <summary>What follows a validation run's end hooks; a fit resumed from a checkpoint saved there starts here.</summary>
    private void ReturnToTraining()
    {
        _validation.ReturnToTraining();
        _trainer.State.Stage = RunningStage.Training;
    }

    /// <summary>
    /// Epoch end in Lightning's order: the callbacks, the 0.x <c>TrainingEpochEnd</c>, the module's
    /// <c>OnTrainEpochEnd</c> and the epoch metrics, then the monitoring callbacks (checkpoint callbacks last).
    /// </summary>
    private void EndEpoch(IReadOnlyList<StepOutput>? keptOutputs, FitPhase ending)
    {
        var t = _trainer;
        t.Logging.Results = _results;
        t.Hooks.Call(HookNames.OnTrainEpochEnd, c => c.OnTrainEpochEnd(t, _module), () =>
        {
            if (keptOutputs is not null)
            {
                var returned = t.Hooks.Run(HookNames.TrainingEpochEnd, () =>
                {
                    var summary = _module.TrainingEpochEnd(keptOutputs);
                    LegacyOutputs.LogEpochEnd(t, summary);
                    return summary;
                });
                returned?.DisposeTensors();
                foreach (var output in keptOutputs) output.DisposeTensors();
                t.Progress.EpochOutputs = null;
            }
            _module.OnTrainEpochEnd();
            t.Logging.PublishEpoch(_results, t.GlobalStep, toLoggers: true, t.CurrentEpoch);
            t.Progress.Phase = ending;
        });
    }

    /// <summary>
    /// The rest of an epoch's end: the schedulers that follow a metric (the others stepped after the epoch's last
    /// optimizer step), only when the epoch reached its last batch as in Lightning, then on to the next epoch.
    /// Returns false when an epoch without batches ends fitting.
    /// </summary>
    private bool FinishEpoch()
    {
        var t = _trainer;
        if (t.Progress.Phase == FitPhase.EpochEnded) Schedulers.Step(t, _module, SchedulerInterval.Epoch, t.CurrentEpoch + 1, plateau: true);
        if (t.Progress.EpochWithoutBatches) return false;
        // A stop asked for on any rank (by the module or a callback) stops every rank after this epoch, as in Lightning.
        t.ShouldStop = t.Strategy.ReduceBooleanDecision(t.ShouldStop, all: false);
        t.Progress.NextEpoch();
        return true;
    }
}
