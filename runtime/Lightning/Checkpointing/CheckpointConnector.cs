using System.Globalization;
using Lightning.Hooks;

namespace Lightning.Checkpointing;

/// <summary>
/// Saves checkpoints, and restores trainer and module state from them for <c>Fit</c>, <c>Validate</c>, <c>Test</c> and
/// <c>Predict</c>. Everything is checked before anything changes, and a restore that fails part-way is undone,
/// so a bad checkpoint leaves the trainer, the module and the callbacks as they were.
/// </summary>
internal static class CheckpointConnector
{
    /// <summary>
    /// Saves <paramref name="module"/>'s checkpoint to <paramref name="filepath"/> atomically (Lightning's
    /// <c>save_checkpoint</c>): every rank builds it, so callbacks' <c>OnSaveCheckpoint</c> run everywhere, and rank 0 writes it.
    /// </summary>
    public static void Save(Trainer trainer, LightningModule module, string filepath, bool weightsOnly)
    {
        // The metrics logged so far reach their files first, so what a checkpoint holds is in the logs too.
        foreach (var logger in trainer.Loggers) logger.Save();
        using var scope = TorchSharp.torch.NewDisposeScope();
        var checkpoint = CheckpointDump.Build(trainer, module, weightsOnly);
        if (trainer.IsGlobalZero) CheckpointFile.Write(filepath, checkpoint);
        // Not after a failure: the other ranks are not saving then, and this rank ends the job next.
        if (trainer.State.Status != TrainerStatus.Interrupted) trainer.Strategy.Barrier();
    }

    /// <summary>
    /// Restores everything needed to continue fitting: weights, optimizers, schedulers, precision, callbacks,
    /// data module and loop position, in Lightning's order: the module's and the callbacks' <c>OnLoadCheckpoint</c>
    /// and the callbacks' states first, then <paramref name="configure"/> (<c>ConfigureModel</c>,
    /// <c>ConfigureOptimizers</c>), then the optimizers' and the loops' states. Returns the part to restore after
    /// the sanity check, or null when <c>"last"</c> found no checkpoint (with a warning when
    /// <paramref name="warnIfMissing"/>); <paramref name="configure"/> runs in both cases.
    /// </summary>
    public static FitResume? RestoreForFit(Trainer trainer, LightningModule module, string ckptPath, Action configure, bool warnIfMissing = true)
    {
        var path = CheckpointPath.Resolve(trainer, ckptPath, "Fit", warnIfMissing);
        if (path is null)
        {
            configure();
            return null;
        }
        // No dispose scope: restoring creates tensors that must live on (optimizer state, callbacks' tensors).
        var checkpoint = CheckpointFile.Read(path);
        try
        {
            return Restore(trainer, module, checkpoint, path, configure);
        }
        finally
        {
            PickleValues.DisposeTensors(checkpoint);
        }
    }

    private static FitResume Restore(Trainer trainer, LightningModule module, Dictionary<string, object?> checkpoint, string path, Action configure)
    {
        if (CheckpointFile.IsPyTorchLightning(checkpoint))
            throw new CheckpointException(path,
                $"'{path}' is a PyTorch Lightning checkpoint (version {checkpoint[CheckpointKeys.PyTorchLightningVersion]}). Its weights and hyperparameters load here " +
                "(LightningModule.LoadFromCheckpoint, module.LoadStateDict, or ckptPath in Validate, Test and Predict), but its optimizer and loop " +
                "state are PyTorch's and cannot be resumed; load the weights and start a new Fit.");
        if (checkpoint.GetValueOrDefault(CheckpointKeys.WeightsOnly) is true)
            throw new CheckpointException(path,
                $"'{path}' holds only weights (it was saved with weightsOnly or ModelCheckpoint(saveWeightsOnly: true)), so fitting cannot resume from it. " +
                "Load its weights with module.LoadStateDict(path) and start a new Fit, or resume from a full checkpoint.");
        var loop = CheckpointFile.Required<Dictionary<string, object?>>(CheckpointFile.Required<Dictionary<string, object?>>(checkpoint, CheckpointKeys.Loops, path), "fit_loop", path);
        var callbacks = CheckpointFile.Required<Dictionary<string, object?>>(checkpoint, CheckpointKeys.Callbacks, path);
        var precision = CheckpointFile.Required<Dictionary<string, object?>>(checkpoint, CheckpointKeys.Precision, path);
        var rng = CheckpointFile.Required<Dictionary<string, object?>>(checkpoint, CheckpointKeys.RngStates, path);
        var metrics = CheckpointFile.Required<Dictionary<string, object?>>(checkpoint, CheckpointKeys.Metrics, path);
        Output.Info(trainer, $"Restoring states from the checkpoint path at {path}");

        var undo = new Stack<Action>();
        var configuring = false;
        try
        {
            // Lightning's order: the module's hook, then the callbacks' hooks, then their states.
            trainer.Hooks.Call(HookNames.OnLoadCheckpoint, c => c.OnLoadCheckpoint(trainer, module, checkpoint), () => module.OnLoadCheckpoint(checkpoint));
            foreach (var callback in trainer.Callbacks)
            {
                if (callbacks.GetValueOrDefault(callback.StateKey) is not Dictionary<string, object?> state) continue;
                var before = Copy(callback.StateDict());
                undo.Push(() => callback.LoadStateDict(before));
                callback.LoadStateDict(state);
            }

            configuring = true;
            configure();
            configuring = false;

            // The weights and optimizer states are checked against what ConfigureModel and ConfigureOptimizers built.
            var matched = CheckedWeights(module, checkpoint, path);
            var optimizers = Entries(checkpoint, CheckpointKeys.OptimizerStates, trainer.Optimizers.Count, "optimizers", path);
            for (var i = 0; i < optimizers.Count; i++) OptimizerStates.Check(trainer.Optimizers[i], optimizers[i], i, path);
            var schedulers = Entries(checkpoint, CheckpointKeys.LrSchedulers, trainer.LrSchedulerConfigs.Count, "learning-rate schedulers", path);
            for (var i = 0; i < schedulers.Count; i++) SchedulerStates.Check(trainer.LrSchedulerConfigs[i].Scheduler, schedulers[i], i, path);

            for (var i = 0; i < optimizers.Count; i++)
            {
                var optimizer = trainer.Optimizers[i];
                var before = OptimizerStates.Bytes(optimizer);
                undo.Push(() => OptimizerStates.Load(optimizer, before));
                OptimizerStates.Load(optimizer, optimizers[i]);
            }
            for (var i = 0; i < schedulers.Count; i++)
            {
                var scheduler = trainer.LrSchedulerConfigs[i].Scheduler;
                var before = SchedulerStates.StateDict(scheduler);
                undo.Push(() => SchedulerStates.Load(scheduler, before));
                SchedulerStates.Load(scheduler, schedulers[i]);
            }
            RestorePrecision(trainer, precision, undo);
            RestoreDataModule(trainer, checkpoint, undo);
            var progress = trainer.Progress.StateDict();
            var shouldStop = trainer.ShouldStop;
            undo.Push(() =>
            {
                trainer.Progress.LoadStateDict(progress);
                trainer.ShouldStop = shouldStop;
            });
            trainer.Progress.LoadStateDict(loop);
            var resume = new FitResume(rng, metrics, Convert.ToInt64(loop["validation_logged_steps"], CultureInfo.InvariantCulture),
                checkpoint.GetValueOrDefault("gradients") as Dictionary<string, object?>);
            // Last: copying checked weights cannot fail.
            StateDictLoader.Apply(module, matched);
            trainer.CkptPath = path;
            foreach (var logger in trainer.Loggers.OfType<FileLogger>()) logger.ResumedAt(trainer.GlobalStep);
            Output.Info(trainer, $"Restored all states from the checkpoint at {path}");
            return resume;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var undoFailures = new List<string>();
            while (undo.TryPop(out var action))
            {
                try
                {
                    action();
                }
                catch (Exception undoFailure) when (undoFailure is not OutOfMemoryException)
                {
                    undoFailures.Add(CheckpointException.Quote(undoFailure));
                }
            }
            // The checkpoint's own errors, and the module's from ConfigureModel or ConfigureOptimizers, say what is wrong already.
            if ((configuring || e is CheckpointException) && undoFailures.Count == 0) throw;
            var state = undoFailures.Count == 0
                ? "the module, optimizers and callbacks are as they were"
                : $"putting the previous state back failed too ({string.Join("; ", undoFailures)}), so start from a fresh trainer and module";
            throw new CheckpointException(path,
                $"Resuming from '{path}' failed while restoring its state ({e.GetType().Name}: {CheckpointException.Quote(e)}); {state}. " +
                "The file may be damaged, or the module's or a callback's LoadStateDict rejected it.", e);
        }
    }

    /// <summary>Restores the module's weights (and the data module's state) for evaluation or prediction.</summary>
    public static void RestoreWeights(Trainer trainer, LightningModule module, string ckptPath)
    {
        var path = CheckpointPath.Resolve(trainer, ckptPath, trainer.State.Fn?.ToString() ?? "Validate");
        if (path is null) return;
        Output.Info(trainer, $"Restoring states from the checkpoint path at {path}");
        var checkpoint = CheckpointFile.Read(path);
        try
        {
            var matched = CheckedWeights(module, checkpoint, path);
            trainer.Hooks.Run(HookNames.OnLoadCheckpoint, () => module.OnLoadCheckpoint(checkpoint));
            RestoreDataModule(trainer, checkpoint, new Stack<Action>());
            StateDictLoader.Apply(module, matched);
            trainer.CkptPath = path;
            Output.Info(trainer, $"Loaded model weights from the checkpoint at {path}");
        }
        finally
        {
            PickleValues.DisposeTensors(checkpoint);
        }
    }

    /// <summary>The checkpoint's weights matched to the module; throws when they do not fit.</summary>
    internal static Dictionary<string, TorchSharp.torch.Tensor> CheckedWeights(LightningModule module, Dictionary<string, object?> checkpoint, string path)
    {
        var weights = StateDictFiles.Tensors(CheckpointFile.Required<Dictionary<string, object?>>(checkpoint, CheckpointKeys.StateDict, path), path);
        // Our checkpoints name keys exactly; a PyTorch Lightning one may hold the network under a prefix such as "model.".
        var report = StateDictLoader.Match(module, weights, CheckpointFile.IsOurs(checkpoint) ? "" : null, out var matched);
        StateDictLoader.Check(module, report, module.StrictLoading, path);
        return matched;
    }

    private static List<Dictionary<string, object?>> Entries(Dictionary<string, object?> checkpoint, string key, int expected, string what, string path)
    {
        var entries = CheckpointFile.Required<List<object?>>(checkpoint, key, path);
        if (entries.Count != expected)
            throw new CheckpointException(path,
                $"'{path}' holds {entries.Count} {what}, but ConfigureOptimizers returned {expected}. Resume with the optimizers and schedulers the checkpoint " +
                "was trained with, or load only its weights (module.LoadStateDict) and start a new Fit.");
        return entries.Select(e => e as Dictionary<string, object?> ?? throw new CheckpointException(path,
            $"'{path}' is damaged: an entry of '{key}' is not a dictionary. Use an earlier checkpoint.")).ToList();
    }

    private static void RestorePrecision(Trainer trainer, Dictionary<string, object?> precision, Stack<Action> undo)
    {
        if (precision.GetValueOrDefault("name") as string != trainer.Precision.Name)
        {
            Output.Warn($"The checkpoint was trained with precision {precision.GetValueOrDefault("name")} and this trainer uses {trainer.Precision.Name}; " +
                           "the precision state (the loss scale) is not restored.");
            return;
        }
        if (precision.GetValueOrDefault("state") is not Dictionary<string, object?> state) return;
        var before = Copy(trainer.Precision.StateDict());
        undo.Push(() => trainer.Precision.LoadStateDict(before));
        trainer.Precision.LoadStateDict(state);
    }

    private static void RestoreDataModule(Trainer trainer, Dictionary<string, object?> checkpoint, Stack<Action> undo)
    {
        if (trainer.DataModule is not { } dataModule || checkpoint.GetValueOrDefault(CheckpointKeys.DataModule) is not Dictionary<string, object?> entry ||
            entry.GetValueOrDefault("state") is not Dictionary<string, object?> state) return;
        var before = Copy(dataModule.StateDict());
        undo.Push(() => dataModule.LoadStateDict(before));
        dataModule.LoadStateDict(state);
    }

    // A state as it would come back from a file, to put back if restoring fails.
    private static Dictionary<string, object?> Copy(IDictionary<string, object?> state) =>
        PickleValues.FromPickleDictionary(PickleValues.ToPickleDictionary(new Dictionary<string, object?>(state), ""));
}
