using Lightning.Hooks;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning.Loops;

/// <summary>
/// One optimizer's work with its hooks, as automatic optimization runs it for each batch (Lightning's
/// <c>_AutomaticOptimization</c>: backward, optimizer step, zero-grad) and manual optimization for each
/// <c>ManualBackward</c> and <c>step()</c> (Lightning's <c>_ManualOptimization</c>).
/// </summary>
internal static class OptimizationStep
{
    /// <summary>
    /// The backward pass with its hooks and the precision plugin's scaling; shared by automatic and manual optimization.
    /// Unless <paramref name="syncGradients"/> is false (a batch inside an accumulation window), the gradients are
    /// averaged across ranks before the after-backward hooks see them.
    /// </summary>
    public static void Backward(Trainer trainer, Tensor loss, bool syncGradients = true)
    {
        var model = trainer.LightningModule!;
        trainer.Hooks.Call(HookNames.OnBeforeBackward, c => c.OnBeforeBackward(trainer, model, loss), () => model.OnBeforeBackward(loss));
        trainer.Hooks.Run(HookNames.Backward, () =>
        {
            model.Backward(trainer.Precision.PreBackward(trainer.Strategy.LossForBackward(loss)));
            if (syncGradients) trainer.Strategy.SyncGradients(model, trainer.LightningOptimizers.Select(o => o.Optimizer));
        });
        trainer.Hooks.Call(HookNames.OnAfterBackward, c => c.OnAfterBackward(trainer, model), model.OnAfterBackward);
    }

    /// <summary>
    /// The optimizer step with its hooks: before-step hooks, clipping, the step through the precision plugin.
    /// Returns whether the parameters were updated.
    /// </summary>
    public static bool Step(Trainer trainer, Optimizer optimizer, int batchIdx, Func<Tensor>? closure)
    {
        var model = trainer.LightningModule!;
        trainer.Precision.Unscale(optimizer);
        trainer.Hooks.Call(HookNames.OnBeforeOptimizerStep, c => c.OnBeforeOptimizerStep(trainer, model, optimizer), () => model.OnBeforeOptimizerStep(optimizer));
        trainer.Hooks.Run(HookNames.ConfigureGradientClipping, () =>
            model.ConfigureGradientClipping(optimizer, trainer.Options.GradientClipVal, trainer.Options.GradientClipVal is null ? null : trainer.Options.GradientClipAlgorithm));
        var stepped = trainer.Hooks.Run(HookNames.OptimizerStep, () =>
            trainer.Precision.OptimizerStep(optimizer, () => model.OptimizerStep(trainer.CurrentEpoch, batchIdx, optimizer, closure)));
        trainer.Precision.AfterOptimizerStep(model);
        return stepped;
    }

    /// <summary>Zeroes gradients with the before-zero-grad hooks.</summary>
    public static void ZeroGrad(Trainer trainer, Optimizer optimizer, int batchIdx)
    {
        var model = trainer.LightningModule!;
        trainer.Hooks.Call(HookNames.OnBeforeZeroGrad, c => c.OnBeforeZeroGrad(trainer, model, optimizer), () => model.OnBeforeZeroGrad(optimizer));
        trainer.Hooks.Run(HookNames.OptimizerZeroGrad, () => model.OptimizerZeroGrad(trainer.CurrentEpoch, batchIdx, optimizer));
    }

    /// <summary>
    /// A step of an optimizer in manual optimization, counted as a global step as Lightning counts it. A closure
    /// runs first, before the before-step hooks, as in Lightning; the optimizer's own first call of it then gets
    /// that result, and later calls (LBFGS) run it again.
    /// </summary>
    public static void ManualStep(Trainer trainer, Optimizer optimizer, Func<Tensor>? closure)
    {
        // Counted even when the loss scaler skips the update, as Lightning counts it.
        Step(trainer, optimizer, trainer.BatchIdx, closure is null ? null : OptimizerClosure.FirstResultReused(closure(), closure));
        trainer.Progress.CountStep();
    }
}
