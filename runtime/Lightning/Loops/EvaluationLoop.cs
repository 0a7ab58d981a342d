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
    private readonly EvaluationStage<TBatch> _stage;
    private readonly ResultCollection _results = new(training: false);
    private readonly bool _keepOutputs;
    private readonly ModuleMode _mode = new();
    private long _loggedSteps;

    public EvaluationLoop(Trainer trainer, LightningModule<TBatch> module, EvaluationStage<TBatch> stage)
    {
        _trainer = trainer;
        _module = module;
        _stage = stage;
        _keepOutputs = module.Overrides(stage.Outputs.Name);
    }

    /// <summary>
    /// A run from <c>Trainer.Validate</c> or <c>Trainer.Test</c>: checks the step exists, restores a checkpoint if
    /// asked, then asks for the loaders and runs them, unless a limit of 0 turns the stage off (Lightning then runs
    /// no stage hook and asks for no loader, and returns no metrics).
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> RunStandalone(Func<IReadOnlyList<IEnumerable<TBatch>>> loadersSource, string? ckptPath)
    {
        var t = _trainer;
        var (step, verb) = (_stage.Step.Name, _stage.EntryPoint);
        if (!_module.Overrides(step))
            throw new InvalidOperationException($"Trainer.{verb} needs {_module.GetType().Name} to override {step}(batch, batchIdx).");
        if (ckptPath is not null) Checkpointing.CheckpointConnector.RestoreWeights(t, _module, ckptPath);
        _module.zero_grad();
        if (_stage.Off(t)) return [];
        var loaders = loadersSource();
        if (loaders.Count == 0)
            throw new InvalidOperationException(
                $"Trainer.{verb} found no data: pass dataloaders, give a dataModule, or override {_module.GetType().Name}.{_stage.LoaderHook}().");
        t.State.Stage = _stage.Running;
        return Run(loaders, loader => _stage.Limit(t, loader), inFit: false);
    }

    /// <summary>Runs every loader up to its limit; returns the epoch metrics of each loader.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Run(IReadOnlyList<IEnumerable<TBatch>> loaders, Func<IEnumerable<TBatch>, int> limitOf, bool inFit)
    {
        var t = _trainer;
        var module = _module;
        var limits = loaders.Select(limitOf).ToList();
        var lengths = loaders.Select(BatchCounter.Count).ToList();
        _stage.SetBatchCounts(t, BatchCounter.WithinLimits(lengths, limits));

        _results.Reset();
        t.Logging.Results = _results;
        if (inFit && !t.SanityChecking) t.Hooks.Run(HookNames.OnValidationModelZeroGrad, module.OnValidationModelZeroGrad);
        _mode.Capture(module);
        t.Hooks.Run(_stage.ModelEval.Name, () => _stage.ModelEval.Call(module));

        Call(_stage.Start);
        Call(_stage.EpochStart);

        var kept = _keepOutputs ? new List<StepOutput>() : null;
        using (t.Options.InferenceMode ? torch.inference_mode() : torch.no_grad())
        {
            for (var dl = 0; dl < loaders.Count; dl++)
            {
                t.Logging.DataloaderCount = loaders.Count;
                t.Logging.DataloaderIdx = dl;
                using var batches = new BatchIterator<TBatch>(loaders[dl], lengths[dl], limits[dl], $"{_stage.Noun} loader {dl}");
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
            var returned = t.Hooks.Run(_stage.Outputs.Name, () =>
            {
                var summary = _stage.Outputs.Call(module, kept);
                LegacyOutputs.LogEpochEnd(t, summary);
                return summary;
            });
            returned?.DisposeTensors();
            foreach (var output in kept) output.DisposeTensors();
        }
        Call(_stage.EpochEnd);
        var snapshot = t.Logging.PublishEpoch(_results, t.GlobalStep, toLoggers: !t.SanityChecking, t.CurrentEpoch);
        t.Logging.DataloaderCount = 1;
        t.Logging.DataloaderIdx = 0;

        if (inFit && !t.SanityChecking) t.Progress.Phase = FitPhase.ValidationEnded;
        Call(_stage.End);
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
        var (hook, call) = _stage.ModelTrain;
        if (_module.Overrides(hook))
        {
            _trainer.Hooks.Run(hook, () => call(_module));
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
        using var current = BatchScope<TBatch>.Open(t, module, batch, batchIdx, dl);
        var onDevice = current.Batch;
        var start = _stage.BatchStart;
        t.Hooks.Call(start.Name, c => start.Callback(c, t, module, onDevice, batchIdx, dl), () => start.Module(module, onDevice, batchIdx, dl));
        var output = t.Hooks.Run(_stage.Step.Name, () =>
        {
            StepOutput? output;
            using (t.Precision.ForwardContext())
                output = _stage.Step.Call(module, onDevice, batchIdx, dl);
            LegacyOutputs.Log(t, output, onStep: false);
            return output;
        });
        if (kept is not null && output is not null) kept.Add(output.DetachedCopy());
        t.Logging.PreviewStep(_results);
        var end = _stage.BatchEnd;
        t.Hooks.Call(end.Name, c => end.Callback(c, t, module, output, onDevice, batchIdx, dl), () => end.Module(module, output, onDevice, batchIdx, dl));
    }

    /// <summary>Calls one of the stage's hooks that take no batch on the callbacks and the module.</summary>
    private void Call((string Name, Action<Callback, Trainer, LightningModule> Callback, Action<LightningModule> Module) hook) =>
        _trainer.Hooks.Call(hook.Name, c => hook.Callback(c, _trainer, _module), () => hook.Module(_module));

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
