using static TorchSharp.torch;

namespace Lightning;

/// <summary>The closure an optimizer's <c>step</c> receives (Lightning's <c>Closure</c>).</summary>
internal static class OptimizerClosure
{
    /// <summary>
    /// A closure whose first call returns <paramref name="first"/>, the loss already computed (with its gradients)
    /// before the step, and whose later calls evaluate <paramref name="evaluate"/> again, as LBFGS needs. Plain
    /// optimizers call it once, so each batch's step and backward run once, as without a closure.
    /// </summary>
    public static Func<Tensor> FirstResultReused(Tensor first, Func<Tensor> evaluate)
    {
        var used = false;
        return () =>
        {
            if (used) return evaluate();
            used = true;
            return first;
        };
    }
}
