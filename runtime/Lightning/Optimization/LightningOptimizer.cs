using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning;

/// <summary>
/// An optimizer as <c>Optimizers()</c> hands it out for manual optimization (Lightning's
/// <c>LightningOptimizer</c>): <c>step()</c> goes through the precision plugin (loss-scaler unscaling and
/// skipping) and counts toward <c>GlobalStep</c>. The method names follow TorchSharp's optimizer.
/// </summary>
public sealed class LightningOptimizer
{
    private readonly Trainer _trainer;

    internal LightningOptimizer(Optimizer optimizer, Trainer trainer)
    {
        Optimizer = optimizer;
        _trainer = trainer;
    }

    /// <summary>The wrapped TorchSharp optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>
    /// Updates the parameters (unless the loss scaler found non-finite gradients) and counts a global step. A
    /// <paramref name="closure"/> (zero the gradients, compute the loss, <c>ManualBackward</c> it, return it) runs
    /// before the step and is handed to the optimizer, which LBFGS needs to evaluate the loss again.
    /// </summary>
    public void step(Func<Tensor>? closure = null) => Loops.OptimizationStep.ManualStep(_trainer, Optimizer, closure);

    /// <summary>
    /// Drops the gradients of the parameters this optimizer updates, as Lightning's <c>optimizer.zero_grad()</c> does
    /// (PyTorch's <c>set_to_none=True</c>), whichever optimizer it wraps; the next backward writes fresh ones.
    /// </summary>
    public void zero_grad() => OptimizerGradients.Drop(Optimizer);

    /// <summary>The learning rate of each parameter group.</summary>
    public IReadOnlyList<double> LearningRates => Optimizer.ParamGroups.Select(g => g.LearningRate).ToList();

    /// <summary>The wrapped optimizer.</summary>
    public static implicit operator Optimizer(LightningOptimizer optimizer) => optimizer.Optimizer;
}
