using static TorchSharp.torch.optim;

namespace Lightning;

/// <summary>
/// What zero-grad means in the Trainer, automatic and manual optimization alike: the optimizer's gradients are dropped,
/// as Lightning's call of PyTorch's <c>zero_grad()</c> does by default (<c>set_to_none=True</c>). TorchSharp's
/// <c>zero_grad()</c> zeroes in place instead, so the parameters' gradients are set to null here.
/// </summary>
internal static class OptimizerGradients
{
    /// <summary>Sets the gradient of every parameter <paramref name="optimizer"/> updates to null.</summary>
    public static void Drop(Optimizer optimizer)
    {
        foreach (var parameter in optimizer.parameters()) parameter.grad = null;
    }
}
