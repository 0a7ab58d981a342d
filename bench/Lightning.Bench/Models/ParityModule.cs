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
    private readonly bool _multiTensor;

    /// <param name="network">The network; default case 1's.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    /// <param name="multiTensor">Use the runtime's multi-tensor Adam (<c>Lightning.Optimizers.Adam</c>) instead of TorchSharp's.</param>
    public ParityModule(Func<Module<Tensor, Tensor>>? network = null, double learningRate = ParityNetwork.LearningRate, bool multiTensor = false)
        : base(nameof(ParityModule))
    {
        net = (network ?? ParityNetwork.Create)();
        _learningRate = learningRate;
        _multiTensor = multiTensor;
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

    public override OptimizerConfig? ConfigureOptimizers() =>
        _multiTensor ? new Optimizers.Adam(parameters(), _learningRate) : optim.Adam(parameters(), _learningRate);
}
