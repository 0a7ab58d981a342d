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

    /// <summary>Updates the parameters (unless the loss scaler found non-finite gradients) and counts a global step.</summary>
    public void step() => _trainer.RunManualOptimizerStep(Optimizer);

    /// <summary>Zeroes the gradients of the parameters this optimizer updates.</summary>
    public void zero_grad() => Optimizer.zero_grad();

    /// <summary>The learning rate of each parameter group.</summary>
    public IReadOnlyList<double> LearningRates => Optimizer.ParamGroups.Select(g => g.LearningRate).ToList();

    /// <summary>The wrapped optimizer.</summary>
    public static implicit operator Optimizer(LightningOptimizer optimizer) => optimizer.Optimizer;
}
