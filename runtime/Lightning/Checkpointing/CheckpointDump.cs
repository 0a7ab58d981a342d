using Lightning.Hooks;
using Lightning.Loops;
using TorchSharp;

namespace Lightning.Checkpointing;

/// <summary>
/// Gathers everything a checkpoint holds (Lightning's <c>dump_checkpoint</c>), then lets the callbacks and the
/// module add to it through their <c>OnSaveCheckpoint</c> hooks.
/// </summary>
internal static class CheckpointDump
{
    /// <summary>The checkpoint of the trainer's current state; build it inside a dispose scope.</summary>
    /// <param name="trainer">The trainer.</param>
    /// <param name="module">The module being run.</param>
    /// <param name="weightsOnly">Leave out what only resuming needs: optimizers, schedulers, callbacks, precision, random and metric state.</param>
    public static Dictionary<string, object?> Build(Trainer trainer, LightningModule module, bool weightsOnly)
    {
        var checkpoint = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [CheckpointKeys.Format] = CheckpointKeys.FormatName,
            [CheckpointKeys.FormatVersion] = CheckpointKeys.CurrentVersion,
            [CheckpointKeys.PackageVersion] = CheckpointFile.RuntimeVersion,
            [CheckpointKeys.Epoch] = trainer.CurrentEpoch,
            [CheckpointKeys.GlobalStep] = trainer.GlobalStep,
            [CheckpointKeys.WeightsOnly] = weightsOnly,
            [CheckpointKeys.StateDict] = module.state_dict().ToDictionary(e => e.Key, e => (object?)e.Value, StringComparer.Ordinal),
            [CheckpointKeys.Loops] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["fit_loop"] = trainer.Progress.StateDict() },
            [CheckpointKeys.HyperParameters] = HyperparameterValues.ToCheckpoint(module.HParams),
        };
        if (trainer.DataModule is { } dataModule)
        {
            checkpoint[CheckpointKeys.DataModule] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["type"] = dataModule.GetType().Name,
                ["state"] = dataModule.StateDict(),
                [CheckpointKeys.HyperParameters] = HyperparameterValues.ToCheckpoint(dataModule.HParams),
            };
        }
        if (!weightsOnly) AddTrainingState(trainer, module, checkpoint);

        trainer.Hooks.Call(HookNames.OnSaveCheckpoint, c =>
        {
            if (!weightsOnly) c.OnSaveCheckpoint(trainer, module, checkpoint);
        }, () => module.OnSaveCheckpoint(checkpoint));
        return checkpoint;
    }

    private static void AddTrainingState(Trainer trainer, LightningModule module, Dictionary<string, object?> checkpoint)
    {
        var callbacks = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var callback in trainer.Callbacks)
            if (callback.StateDict() is { Count: > 0 } state) callbacks[callback.StateKey] = state;
        checkpoint[CheckpointKeys.Callbacks] = callbacks;
        checkpoint[CheckpointKeys.OptimizerStates] = trainer.Optimizers.Select(o => (object?)OptimizerStates.StateDict(o)).ToList();
        checkpoint[CheckpointKeys.LrSchedulers] = trainer.LrSchedulerConfigs.Select(c => (object?)SchedulerStates.StateDict(c.Scheduler)).ToList();
        checkpoint[CheckpointKeys.Precision] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = trainer.Precision.Name,
            ["state"] = trainer.Precision.StateDict(),
        };
        checkpoint[CheckpointKeys.RngStates] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["torch"] = torch.get_rng_state(),
            ["seed"] = Trainer.Seed,
        };
        checkpoint[CheckpointKeys.Metrics] = trainer.Logging.StateDict();
        if (OpenGradients(trainer, module) is { } gradients) checkpoint["gradients"] = gradients;
    }

    /// <summary>
    /// The parameters' gradients when they carry over to the next batch: inside an accumulation window, or
    /// always with manual optimization, where the module decides when they are zeroed.
    /// </summary>
    private static Dictionary<string, object?>? OpenGradients(Trainer trainer, LightningModule module)
    {
        var phase = trainer.Progress.Phase;
        if (phase is FitPhase.EpochStart or FitPhase.EpochEnded or FitPhase.EpochRestSkipped) return null;
        if (module.AutomaticOptimization && trainer.BatchesCompletedInEpoch % trainer.AccumulateGradBatches == 0) return null;
        var gradients = module.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => (object?)p.parameter.grad, StringComparer.Ordinal);
        return gradients.Count == 0 ? null : gradients;
    }
}
