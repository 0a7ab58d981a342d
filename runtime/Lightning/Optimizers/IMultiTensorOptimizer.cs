namespace Lightning.Optimizers;

/// <summary>
/// An optimizer whose parameters and gradients live in a few contiguous buffers and whose step is a handful of
/// kernels for all of them (<see cref="Adam"/>, <see cref="AdamW"/>, <see cref="SGD"/>). Its <c>zero_grad()</c>
/// zeroes the gradients in place, which keeps them views of <see cref="FlatGradients"/>; the Trainer never drops
/// them. Whatever acts on every gradient (a data-parallel all-reduce, say) can act on these buffers instead.
/// </summary>
public interface IMultiTensorOptimizer
{
    /// <summary>The gradient buffers: one per parameter group and element type and device.</summary>
    IReadOnlyList<FlatGradients> FlatGradients { get; }
}
