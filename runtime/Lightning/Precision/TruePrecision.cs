using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Precision;

/// <summary>
/// <c>64-true</c>, <c>16-true</c> and <c>bf16-true</c>: the module's parameters, the batches' floating-point
/// tensors and tensors created in the steps are all in one type, with no float32 master copy and no loss scaling
/// (Lightning's <c>DoublePrecision</c> and <c>HalfPrecision</c>).
/// </summary>
internal sealed class TruePrecision(string name, ScalarType dtype) : PrecisionPlugin
{
    /// <inheritdoc />
    public override string Name => name;

    /// <inheritdoc />
    public override void ConvertModule(nn.Module module) => module.to(dtype);

    /// <inheritdoc />
    public override T ConvertInput<T>(T batch) =>
        BatchTransfer.Map(batch, t => t.is_floating_point() && t.dtype != dtype ? t.to(dtype) : t) is T converted ? converted : batch;

    /// <summary>Makes the plugin's type the default for tensors the step creates (<c>torch.zeros(...)</c> and the like).</summary>
    public override IDisposable ForwardContext() => new DefaultDtype(dtype);

    /// <inheritdoc />
    public override void CheckSupported(Device device) =>
        PrecisionProbe.Run(Name, device, dtype, dtype, () => new DefaultDtype(dtype));
}
