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

    /// <summary>
    /// The plugin for a <c>Precision</c> value or alias, after checking with a tiny operation that it works on
    /// <paramref name="device"/>, so an unsupported combination is reported before any work is done.
    /// </summary>
    /// <exception cref="NotSupportedException">The precision does not work on the device; the message says what to use instead.</exception>
    public static PrecisionPlugin For(string precision, Device device)
    {
        var name = PrecisionNames.Canonical(precision);
        if (name == "16-mixed" && device.type == TorchSharp.DeviceType.CPU)
        {
            // Lightning's accelerator connector makes the same switch: float16 autocast is for GPUs.
            Output.Warn("You passed `Trainer(accelerator='cpu', precision='16-mixed')` but AMP with fp16 is not supported on CPU. Using `precision='bf16-mixed'` instead.");
            name = "bf16-mixed";
        }
        return Create(name, device);
    }

    /// <summary>
    /// The plugin for a canonical precision name, exactly as named and checked on <paramref name="device"/>; unlike
    /// <see cref="For"/> it keeps <c>16-mixed</c> on the CPU, which is how the loss scaler is tested without a GPU.
    /// </summary>
    /// <exception cref="NotSupportedException">The precision does not work on the device; the message says what to use instead.</exception>
    internal static PrecisionPlugin Create(string name, Device device)
    {
        PrecisionPlugin plugin = name switch
        {
            "64-true" => new TruePrecision("64-true", ScalarType.Float64),
            "16-true" => new TruePrecision("16-true", ScalarType.Float16),
            "bf16-true" => new TruePrecision("bf16-true", ScalarType.BFloat16),
            "16-mixed" => new MixedPrecision("16-mixed", ScalarType.Float16, device, new GradScaler()),
            "bf16-mixed" => new MixedPrecision("bf16-mixed", ScalarType.BFloat16, device, scaler: null),
            _ => new PrecisionPlugin(),
        };
        plugin.CheckSupported(device);
        return plugin;
    }

    /// <summary>Runs a tiny forward and backward pass the way training will, on <paramref name="device"/>; throws when that fails.</summary>
    /// <exception cref="NotSupportedException">It failed; the message names the precision, the device and LibTorch's error.</exception>
    public virtual void CheckSupported(Device device) { }

    /// <summary>Prepares the module (for example converting its parameters); called once before training.</summary>
    public virtual void ConvertModule(nn.Module module) { }

    /// <summary>Converts a batch's floating-point tensors to the compute type.</summary>
    public virtual T ConvertInput<T>(T batch) => batch;

    /// <summary>Scope around forward passes (autocast for mixed precision); dispose to leave it.</summary>
    public virtual IDisposable? ForwardContext() => null;

    /// <summary>The tensor to call backward on (scaled, for loss scaling).</summary>
    public virtual Tensor PreBackward(Tensor loss) => loss;

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
