namespace Lightning.Optimizers;

/// <summary>
/// An optimizer whose parameters and gradients live in a few contiguous buffers and whose step is a handful of
/// kernels for all of them (<see cref="Adam"/>, <see cref="AdamW"/>, <see cref="SGD"/>). Its <c>zero_grad()</c> drops
/// the gradients, as PyTorch's does by default; whatever acts on every gradient (a data-parallel all-reduce, say) can
/// act on <see cref="FlatGradients"/> instead, after <see cref="Lightning.FlatGradients.Attach"/> has taken the
/// gradients back into them.
/// </summary>
public interface IMultiTensorOptimizer
{
    /// <summary>The gradient buffers: one per parameter group and element type and device.</summary>
    IReadOnlyList<FlatGradients> FlatGradients { get; }
}
