using static TorchSharp.torch.optim;

namespace Lightning;

/// <summary>
/// Zero-grad as PyTorch's <c>zero_grad()</c> does it by default (<c>set_to_none=True</c>): the gradients are dropped,
/// so the next backward writes fresh ones. The Trainer's zero-grad, manual optimization's <c>opt.zero_grad()</c> and
/// the multi-tensor optimizers' <c>zero_grad()</c> all drop them here; TorchSharp's own <c>zero_grad()</c> zeroes in
/// place instead, hence the parameters' gradients are set to null.
/// </summary>
internal static class OptimizerGradients
{
    /// <summary>Sets the gradient of every parameter <paramref name="optimizer"/> updates to null.</summary>
    public static void Drop(Optimizer optimizer) => Drop(optimizer.parameters());

    /// <summary>Sets the gradient of each of <paramref name="parameters"/> to null.</summary>
    public static void Drop(IEnumerable<TorchSharp.Modules.Parameter> parameters)
    {
        foreach (var parameter in parameters) parameter.grad = null;
    }
}
