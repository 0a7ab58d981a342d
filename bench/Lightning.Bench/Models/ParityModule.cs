using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Bench.Models;

/// <summary>
/// The parity network (or another classifier) as a LightningModule, written as a user would: cross-entropy,
/// Adam at 0.02 by default.
/// </summary>
internal sealed class ParityModule : LightningModule<(Tensor X, Tensor Y)>
{
    private readonly Module<Tensor, Tensor> net;
    private readonly double _learningRate;

    public ParityModule(Func<Module<Tensor, Tensor>>? network = null, double learningRate = ParityNetwork.LearningRate) : base(nameof(ParityModule))
    {
        net = (network ?? ParityNetwork.Create)();
        _learningRate = learningRate;
        RegisterComponents();
    }

    /// <summary>The loss of the epoch's last batch, read once per epoch so that reading it costs nothing per step.</summary>
    public double LastLoss { get; private set; } = double.NaN;

    public Tensor forward(Tensor x) => net.forward(x);

    public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        var loss = functional.cross_entropy(forward(batch.X), batch.Y);
        if (batchIdx + 1 == Trainer!.NumTrainingBatches) LastLoss = loss.item<float>();
        return loss;
    }

    public override OptimizerConfig? ConfigureOptimizers() => optim.Adam(parameters(), _learningRate);
}
