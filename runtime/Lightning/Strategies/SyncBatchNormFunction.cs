using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Lightning.Strategies;

/// <summary>
/// Batch normalisation with statistics of all ranks' batches, and its gradient (PyTorch's <c>SyncBatchNorm</c>
/// function). The input's gradient depends on every rank's rows through the mean and variance, so the backward pass
/// sums <c>Σ dy</c> and <c>Σ dy·x̂</c> over all ranks in one all-reduce; the weight and bias gradients stay local,
/// as the data-parallel gradient average sums them afterwards.
/// </summary>
internal sealed class SyncBatchNormFunction : SingleTensorFunction<SyncBatchNormFunction>
{
    /// <inheritdoc />
    public override string Name => "SyncBatchNormBackward";

    /// <summary>
    /// The normalised input. <paramref name="vars"/>: the input, the weight and bias (or null), the mean and inverse
    /// standard deviation over all ranks, the number of rows behind them (a double), and the <see cref="Strategy"/>.
    /// </summary>
    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var (input, weight, bias, mean, invstd) = ((Tensor)vars[0], vars[1] as Tensor, vars[2] as Tensor, (Tensor)vars[3], (Tensor)vars[4]);
        ctx.save_for_backward([input, weight!, mean, invstd]);
        ctx.save_data("rows", vars[5]);
        ctx.save_data("strategy", vars[6]);
        ctx.save_data("bias", bias is not null);
        var normalized = Normalized(input, mean, invstd);
        return weight is null ? normalized : normalized * PerChannel(weight, input) + PerChannel(bias!, input);
    }

    /// <inheritdoc />
    public override List<Tensor> backward(AutogradContext ctx, Tensor gradOutput)
    {
        var saved = ctx.get_saved_variables();
        var (input, weight, mean, invstd) = (saved[0], saved[1], saved[2], saved[3]);
        var rows = (double)ctx.get_data("rows");
        var normalized = Normalized(input, mean, invstd);
        var dims = ReducedDims(input);
        var sumDy = gradOutput.sum(dims);
        var sumDyXhat = (gradOutput * normalized).sum(dims);
        Tensor? weightGrad = weight is null ? null : sumDyXhat.clone();
        Tensor? biasGrad = (bool)ctx.get_data("bias") ? sumDy.clone() : null;
        var sums = cat([sumDy, sumDyXhat]);
        ((Strategy)ctx.get_data("strategy")).Reduce(sums, Reduce.Sum);
        var channels = sumDy.shape[0];
        var scale = weight is null ? invstd : weight * invstd;
        var inputGrad = PerChannel(scale, input) * (gradOutput
            - PerChannel(sums.narrow(0, 0, channels), input) / rows
            - normalized * PerChannel(sums.narrow(0, channels, channels), input) / rows);
        return [inputGrad, weightGrad!, biasGrad!, null!, null!, null!, null!];
    }

    /// <summary>The dimensions of <paramref name="input"/> the statistics run over: all but the channels (dimension 1).</summary>
    public static long[] ReducedDims(Tensor input) => [0, .. Enumerable.Range(2, (int)input.dim() - 2).Select(d => (long)d)];

    private static Tensor Normalized(Tensor input, Tensor mean, Tensor invstd) => (input - PerChannel(mean, input)) * PerChannel(invstd, input);

    /// <summary><paramref name="channels"/> shaped to broadcast along <paramref name="input"/>'s channel dimension.</summary>
    private static Tensor PerChannel(Tensor channels, Tensor input) =>
        channels.view([1, channels.shape[0], .. Enumerable.Repeat(1L, (int)input.dim() - 2)]);
}
