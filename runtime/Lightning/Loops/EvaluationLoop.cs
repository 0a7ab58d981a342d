using Lightning.Hooks;
using Lightning.Logging;
using TorchSharp;

namespace Lightning.Loops;

/// <summary>
/// A validation or test run over one or more loaders (Lightning's <c>_EvaluationLoop</c>): evaluation mode,
/// the stage's hooks around each batch and epoch, steps without gradients, and the epoch metrics, which are
/// ready before the <c>On*End</c> hooks so monitoring callbacks can read them.
/// </summary>
internal sealed class EvaluationLoop<TBatch>
{
    private readonly Trainer _trainer;
    private readonly LightningModule<TBatch> _module;
    private readonly EvaluationKind _kind;
    private readonly ResultCollection _results = new(training: false);
    private readonly bool _keepOutputs;
    private readonly ModuleMode _mode = new();
    private long _loggedSteps;

    public EvaluationLoop(Trainer trainer, LightningModule<TBatch> module, EvaluationKind kind)
    {
        _trainer = trainer;
        _module = module;
        _kind = kind;
        _keepOutputs = module.Overrides(kind == EvaluationKind.Validation
            ? nameof(LightningModule<TBatch>.ValidationEpochEnd)
            : nameof(LightningModule<TBatch>.TestEpochEnd));
    }

    private bool IsValidation => _kind == EvaluationKind.Validation;

    /// <summary>
    /// A run from <c>Trainer.Validate</c> or <c>Trainer.Test</c>: checks the step exists, restores a checkpoint if
    /// asked, then asks for the loaders and runs them, unless a limit of 0 turns the stage off (Lightning then runs
    /// no stage hook and asks for no loader, and returns no metrics).
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> RunStandalone(Func<IReadOnlyList<IEnumerable<TBatch>>> loadersSource, string? ckptPath)
    {
        var t = _trainer;
        var step = IsValidation ? nameof(LightningModule<TBatch>.ValidationStep) : nameof(LightningModule<TBatch>.TestStep);
        var verb = IsValidation ? "Validate" : "Test";
        if (!_module.Overrides(step))
            throw new InvalidOperationException($"Trainer.{verb} needs {_module.GetType().Name} to override {step}(batch, batchIdx).");
        if (ckptPath is not null) Checkpointing.CheckpointConnector.RestoreWeights(t, _module, ckptPath);
        _module.zero_grad();
        if (IsValidation ? Limits.ValOff(t) : Limits.TestOff(t)) return [];
        var loaders = loadersSource();
        if (loaders.Count == 0)
            throw new InvalidOperationException(
                $"Trainer.{verb} found no data: pass dataloaders, give a dataModule, or override {_module.GetType().Name}.{(IsValidation ? HookNames.ValDataLoader : HookNames.TestDataLoader)}().");
        t.State.Stage = IsValidation ? RunningStage.Validating : RunningStage.Testing;
        return Run(loaders, loader => IsValidation ? Limits.Val(t, loader) : Limits.Test(t, loader), inFit: false);
    }

    /// <summary>Runs every loader up to its limit; returns the epoch metrics of each loader.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Run(IReadOnlyList<IEnumerable<TBatch>> loaders, Func<IEnumerable<TBatch>, int> limitOf, bool inFit)
    {
        var t = _trainer;
        var module = _module;
        var limits = loaders.Select(limitOf).ToList();
        var lengths = loaders.Select(BatchCounter.Count).ToList();
        var counts = limits.Select((limit, i) => lengths[i] is { } n ? Math.Min(n, limit) : limit).ToList();
        if (IsValidation) t.NumValBatches = counts;
        else t.NumTestBatches = counts;

        _results.Reset();
        t.Logging.Results = _results;
        if (inFit && !t.SanityChecking) t.Hooks.Run(HookNames.OnValidationModelZeroGrad, module.OnValidationModelZeroGrad);
        _mode.Capture(module);
        t.Hooks.Run(IsValidation ? HookNames.OnValidationModelEval : HookNames.OnTestModelEval, IsValidation ? module.OnValidationModelEval : module.OnTestModelEval);

        Hook(HookNames.OnValidationStart, HookNames.OnTestStart, c => c.OnValidationStart(t, module), c => c.OnTestStart(t, module), module.OnValidationStart, module.OnTestStart);
        Hook(HookNames.OnValidationEpochStart, HookNames.OnTestEpochStart, c => c.OnValidationEpochStart(t, module), c => c.OnTestEpochStart(t, module),
            module.OnValidationEpochStart, module.OnTestEpochStart);

        var kept = _keepOutputs ? new List<StepOutput>() : null;
        using (t.Options.InferenceMode ? torch.inference_mode() : torch.no_grad())
        {
            for (var dl = 0; dl < loaders.Count; dl++)
            {
                t.Logging.DataloaderCount = loaders.Count;
                t.Logging.DataloaderIdx = dl;
                using var batches = new BatchIterator<TBatch>(loaders[dl], lengths[dl], limits[dl], $"{(IsValidation ? "validation" : "test")} loader {dl}");
                while (batches.TryNext(out var batch, out _))
                {
                    RunBatch(batch, batches.Index - 1, dl, kept);
                    // In fit the counter is part of the fit's position, which checkpoints save.
                    var step = inFit ? t.Progress.ValidationLoggedSteps++ : _loggedSteps++;
                    t.Logging.PublishStep(_results, step, toLoggers: !t.SanityChecking, t.CurrentEpoch);
                }
            }
        }

        if (kept is not null)
        {
            var returned = t.Hooks.Run(IsValidation ? HookNames.ValidationEpochEnd : HookNames.TestEpochEnd, () =>
            {
                var summary = IsValidation ? module.ValidationEpochEnd(kept) : module.TestEpochEnd(kept);
                LegacyOutputs.LogEpochEnd(t, summary);
                return summary;
            });
            returned?.DisposeTensors();
            foreach (var output in kept) output.DisposeTensors();
        }
        Hook(HookNames.OnValidationEpochEnd, HookNames.OnTestEpochEnd, c => c.OnValidationEpochEnd(t, module), c => c.OnTestEpochEnd(t, module),
            module.OnValidationEpochEnd, module.OnTestEpochEnd);
        var snapshot = t.Logging.PublishEpoch(_results, t.GlobalStep, toLoggers: !t.SanityChecking, t.CurrentEpoch);
        t.Logging.DataloaderCount = 1;
        t.Logging.DataloaderIdx = 0;

        if (inFit && !t.SanityChecking) t.Progress.Phase = FitPhase.ValidationEnded;
        t.Hooks.Call(IsValidation ? HookNames.OnValidationEnd : HookNames.OnTestEnd,
            c => { if (IsValidation) c.OnValidationEnd(t, module); else c.OnTestEnd(t, module); },
            IsValidation ? module.OnValidationEnd : module.OnTestEnd);
        // In fit, the fit loop returns to training (ReturnToTraining), also when resuming from a checkpoint saved just above.
        if (!inFit) ReturnToTraining();
        // Lightning returns (and prints) what went to the loggers: a value logged with logger: false is not in it.
        return PerLoader(snapshot.Logged, loaders.Count);
    }

    /// <summary>
    /// Undoes the evaluation mode, as Lightning does: the module's <c>On*ModelTrain</c> where it overrides it, else
    /// every submodule gets back the mode it had before the run (a fit resumed after validation finds the
    /// module's own modes, saved with it, in place already).
    /// </summary>
    public void ReturnToTraining()
    {
        var hook = IsValidation ? HookNames.OnValidationModelTrain : HookNames.OnTestModelTrain;
        if (_module.Overrides(hook))
        {
            _trainer.Hooks.Run(hook, IsValidation ? _module.OnValidationModelTrain : _module.OnTestModelTrain);
        }
        else
        {
            _mode.Restore();
        }
    }

    private void RunBatch(TBatch batch, int batchIdx, int dl, List<StepOutput>? kept)
    {
        var t = _trainer;
        var module = _module;
        t.ThrowIfInterrupted();
        t.EvaluationBatchIdx = batchIdx;
        using var scope = torch.NewDisposeScope();
        var onDevice = BatchHooks.Transfer(t, module, batch, dl);
        t.Logging.CurrentBatch = onDevice;
        Hook(HookNames.OnValidationBatchStart, HookNames.OnTestBatchStart,
            c => c.OnValidationBatchStart(t, module, onDevice!, batchIdx, dl), c => c.OnTestBatchStart(t, module, onDevice!, batchIdx, dl),
            () => module.OnValidationBatchStart(onDevice, batchIdx, dl), () => module.OnTestBatchStart(onDevice, batchIdx, dl));
        var output = t.Hooks.Run(IsValidation ? HookNames.ValidationStep : HookNames.TestStep, () =>
        {
            StepOutput? output;
            using (t.Precision.ForwardContext())
                output = IsValidation ? module.ValidationStep(onDevice, batchIdx, dl) : module.TestStep(onDevice, batchIdx, dl);
            LegacyOutputs.Log(t, output, onStep: false);
            return output;
        });
        if (kept is not null && output is not null) kept.Add(output.DetachedCopy());
        t.Logging.PreviewStep(_results);
        Hook(HookNames.OnValidationBatchEnd, HookNames.OnTestBatchEnd,
            c => c.OnValidationBatchEnd(t, module, output, onDevice!, batchIdx, dl), c => c.OnTestBatchEnd(t, module, output, onDevice!, batchIdx, dl),
            () => module.OnValidationBatchEnd(output, onDevice, batchIdx, dl), () => module.OnTestBatchEnd(output, onDevice, batchIdx, dl));
        t.Logging.CurrentBatch = null;
    }

    /// <summary>Calls the callbacks' hook, then the module's, choosing the validation or the test variant.</summary>
    private void Hook(string validationName, string testName, Action<Callback> validationCallback, Action<Callback> testCallback,
        Action validationModule, Action testModule) =>
        _trainer.Hooks.Call(IsValidation ? validationName : testName, IsValidation ? validationCallback : testCallback,
            IsValidation ? validationModule : testModule);

    /// <summary>One dictionary per loader: its suffixed metrics, plus those logged outside any loader.</summary>
    private static IReadOnlyList<IReadOnlyDictionary<string, double>> PerLoader(IReadOnlyDictionary<string, double> metrics, int loaders)
    {
        if (loaders <= 1) return [new Dictionary<string, double>(metrics, StringComparer.Ordinal)];
        var result = new List<IReadOnlyDictionary<string, double>>();
        for (var i = 0; i < loaders; i++)
        {
            var suffix = $"/dataloader_idx_{i}";
            result.Add(metrics.Where(m => m.Key.EndsWith(suffix, StringComparison.Ordinal) || !m.Key.Contains("/dataloader_idx_", StringComparison.Ordinal))
                .ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal));
        }
        return result;
    }
}
