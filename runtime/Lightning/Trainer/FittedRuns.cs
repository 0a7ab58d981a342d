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
    Action<Trainer> Fit);
