using Lightning.Native;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning.Precision;

/// <summary>
/// <c>16-mixed</c> and <c>bf16-mixed</c> (Lightning's <c>MixedPrecision</c>): the module keeps float32 parameters,
/// which the optimizer updates (the master weights); forward passes run under LibTorch's autocast, which casts the
/// weights and inputs of matrix products and convolutions to the low type and computes softmax and losses in float32,
/// so the loss a step returns is float32 and backward sends float32 gradients to the parameters. <c>16-mixed</c>
/// adds dynamic loss scaling, because float16 gradients underflow; bfloat16 has float32's range and needs none.
/// </summary>
internal sealed class MixedPrecision(string name, ScalarType dtype, Device device, GradScaler? scaler) : PrecisionPlugin
{
    /// <inheritdoc />
    public override string Name => name;

    /// <summary>The loss scaler, for <c>16-mixed</c>.</summary>
    public GradScaler? Scaler => scaler;

    /// <inheritdoc />
    public override IDisposable ForwardContext() => Autocast.Enter(device.type, dtype);

    /// <inheritdoc />
    public override Tensor PreBackward(Tensor loss) => scaler?.ScaleLoss(loss) ?? loss;

    /// <inheritdoc />
    public override void Unscale(Optimizer optimizer) => scaler?.Unscale(optimizer);

    /// <inheritdoc />
    public override bool OptimizerStep(Optimizer optimizer, Action step) =>
        scaler?.Step(optimizer, step) ?? base.OptimizerStep(optimizer, step);

    /// <inheritdoc />
    public override void AfterOptimizerStep(nn.Module module) => scaler?.Update();

    /// <inheritdoc />
    public override IDictionary<string, object?> StateDict() => scaler?.StateDict() ?? base.StateDict();

    /// <inheritdoc />
    public override void LoadStateDict(IReadOnlyDictionary<string, object?> state)
    {
        if (scaler is not null) scaler.LoadStateDict(state);
        else base.LoadStateDict(state);
    }

    /// <inheritdoc />
    public override void CheckSupported(Device device)
    {
        Autocast.Require(Name);
        PrecisionProbe.Run(Name, device, ScalarType.Float32, dtype, ForwardContext);
    }
}
