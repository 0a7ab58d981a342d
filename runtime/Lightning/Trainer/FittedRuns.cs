using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// Validate, Test and Predict bound to the module, data module and validation loaders of a trainer's latest
/// <c>Fit</c>, so <c>trainer.Test()</c> can run without naming them, as in Lightning. Each takes a <c>ckptPath</c>
/// (and <c>verbose</c> for the evaluations) and a cancellation token. <c>Fit</c> fits the same module and data with
/// another trainer (the tuner's search runs).
/// </summary>
internal sealed record FittedRuns(
    Func<string?, bool, CancellationToken, IReadOnlyList<IReadOnlyDictionary<string, double>>> Validate,
    Func<string?, bool, CancellationToken, IReadOnlyList<IReadOnlyDictionary<string, double>>> Test,
    Func<string?, CancellationToken, IReadOnlyList<Tensor>> Predict,
    Action<Trainer> Fit)
{
    /// <summary>The runs of a trainer's latest fit, for <c>Trainer.{entryPoint}()</c> without a module.</summary>
    /// <exception cref="InvalidOperationException">The trainer has not fitted a module: pass the module.</exception>
    public static FittedRuns Of(FittedRuns? fitted, string entryPoint) => fitted ?? throw new InvalidOperationException(
        $"Trainer.{entryPoint}() without a module uses the module of this trainer's latest Fit, and this trainer has not fitted one. " +
        $"Pass the module: trainer.{entryPoint}(model).");

    /// <summary>The checkpoint a run without a module uses, as Lightning chooses it: the one asked for, else the best of the fit.</summary>
    public static string? Checkpoint(Trainer trainer, string entryPoint, string? ckptPath)
    {
        if (ckptPath is not null) return ckptPath;
        if (trainer.CheckpointCallback is { BestModelPath.Length: > 0 })
        {
            Output.Info(trainer, $"Trainer.{entryPoint}() was called without a module and without ckptPath: the best checkpoint of the previous Fit is used. " +
                                 "Pass ckptPath: \"best\", \"last\" or a path to choose.");
            return "best";
        }
        Output.Info(trainer, $"Trainer.{entryPoint}() was called without a module and without ckptPath, and the previous Fit saved no checkpoint: " +
                             "the module's current weights are used.");
        return null;
    }
}
