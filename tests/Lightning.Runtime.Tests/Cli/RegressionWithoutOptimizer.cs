using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Tests.Cli;

/// <summary>A linear regressor without <c>ConfigureOptimizers</c>: it trains only with an optimizer given by <c>--optimizer</c>.</summary>
internal sealed class RegressionWithoutOptimizer : LightningModule<(Tensor X, Tensor Y)>
{
    private readonly TorchSharp.Modules.Linear _net;

    public RegressionWithoutOptimizer(int inputSize = 4)
    {
        _net = Linear(inputSize, 1);
        RegisterComponents();
    }

    public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) => functional.mse_loss(_net.forward(batch.X), batch.Y);
}
