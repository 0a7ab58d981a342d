using static TorchSharp.torch;

namespace Lightning.Optimizers;

/// <summary>
/// The update of Adam and AdamW, operation for operation as TorchSharp's (and PyTorch's single-tensor) step does
/// it, so that applying it to whole buffers gives each parameter the numbers the per-parameter step would. On float32
/// tensors in the CPU's memory it runs as one pass (<see cref="FusedAdamKernel"/>) instead of nine operations.
/// </summary>
/// <param name="LearningRate">The group's learning rate.</param>
/// <param name="Beta1">Decay of the first moment.</param>
/// <param name="Beta2">Decay of the second moment.</param>
/// <param name="Eps">Added to the denominator.</param>
/// <param name="WeightDecay">L2 penalty added to the gradient (Adam) or decay of the weights (AdamW).</param>
/// <param name="Decoupled">AdamW's decoupled weight decay.</param>
/// <param name="AmsGrad">Use the running maximum of the second moment.</param>
/// <param name="Maximize">Maximize the objective.</param>
internal readonly record struct AdamRule(double LearningRate, double Beta1, double Beta2, double Eps, double WeightDecay, bool Decoupled,
    bool AmsGrad, bool Maximize)
{
    /// <summary>Updates <paramref name="param"/> and the moments in place for step number <paramref name="step"/> (1 for the first).</summary>
    /// <param name="param">The parameters.</param>
    /// <param name="grad">Their gradients.</param>
    /// <param name="expAvg">The first moment.</param>
    /// <param name="expAvgSq">The second moment.</param>
    /// <param name="maxExpAvgSq">Its running maximum, with AMSGrad.</param>
    /// <param name="step">The step number.</param>
    /// <param name="scratch">A tensor of the parameters' shape the denominator may be computed in; null to allocate one.</param>
    public void Apply(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor? maxExpAvgSq, long step, Tensor? scratch = null)
    {
        if (FusedAdamKernel.TryApply(this, param, grad, expAvg, expAvgSq, maxExpAvgSq, step)) return;
        if (Maximize) grad = grad.neg();
        if (Decoupled)
        {
            if (WeightDecay != 0) param.mul_(1 - LearningRate * WeightDecay);
        }
        else if (WeightDecay != 0)
        {
            grad = grad.add(param, alpha: WeightDecay);
        }
        var biasCorrection1 = 1 - Math.Pow(Beta1, step);
        var biasCorrection2 = 1 - Math.Pow(Beta2, step);
        expAvg.mul_(Beta1).add_(grad, alpha: 1 - Beta1);
        expAvgSq.mul_(Beta2).addcmul_(grad, grad, value: 1 - Beta2);
        var second = expAvgSq;
        if (AmsGrad)
        {
            maxExpAvgSq!.copy_(maximum(maxExpAvgSq, expAvgSq));
            second = maxExpAvgSq;
        }
        // A fresh buffer the size of the whole model costs more than the copy into a kept one: the allocator returns
        // large blocks to the system and faults them in again on the next step.
        var denominator = (scratch is null ? second.sqrt() : scratch.copy_(second).sqrt_()).div_(Math.Sqrt(biasCorrection2)).add_(Eps);
        param.addcdiv_(expAvg, denominator, value: -(LearningRate / biasCorrection1));
    }
}
