using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning.Precision;

/// <summary>
/// How numbers are represented during training (Lightning's precision plugin). This base is <c>32-true</c>:
/// everything in float32, no loss scaling. Other precisions override the parts they change.
/// </summary>
internal class PrecisionPlugin
{
    /// <summary>The <c>Precision</c> value this plugin implements, as Lightning names it.</summary>
    public virtual string Name => "32-true";

    /// <summary>Prepares the module (for example converting its parameters); called once before training.</summary>
    public virtual void ConvertModule(nn.Module module) { }

    /// <summary>Converts a batch's floating-point tensors to the compute type.</summary>
    public virtual T ConvertInput<T>(T batch) => batch;

    /// <summary>Scope around forward passes (autocast for mixed precision); dispose to leave it.</summary>
    public virtual IDisposable? ForwardContext() => null;

    /// <summary>The tensor to call backward on (scaled, for loss scaling).</summary>
    public virtual Tensor PreBackward(Tensor loss) => loss;

    /// <summary>After backward: copy low-precision gradients to the master weights, where there are any.</summary>
    public virtual void PostBackward(nn.Module module) { }

    /// <summary>Makes the gradients true-scale before clipping or inspection (loss scaling undone).</summary>
    public virtual void Unscale(Optimizer optimizer) { }

    /// <summary>Runs <paramref name="step"/> unless the gradients are not finite (loss scaling); returns whether it ran.</summary>
    public virtual bool OptimizerStep(Optimizer optimizer, Action step)
    {
        step();
        return true;
    }

    /// <summary>After the optimizer step: update the loss scale, copy master weights back.</summary>
    public virtual void AfterOptimizerStep(nn.Module module) { }

    /// <summary>State to save in checkpoints (the loss scaler's), or an empty dictionary.</summary>
    public virtual IDictionary<string, object?> StateDict() => new Dictionary<string, object?>();

    /// <summary>Restores <see cref="StateDict"/>.</summary>
    public virtual void LoadStateDict(IReadOnlyDictionary<string, object?> state) { }
}
