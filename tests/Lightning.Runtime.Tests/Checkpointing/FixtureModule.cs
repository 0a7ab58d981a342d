using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Tests;

/// <summary>
/// A LightningModule keeping <see cref="FixtureNet"/> in <c>model</c>, as the PyTorch Lightning module behind
/// Fixtures/pytorch_lightning.ckpt does, with the same hyperparameter names in C# form.
/// </summary>
internal sealed class FixtureModule : LightningModule<(Tensor X, Tensor Y)>
{
    private readonly FixtureNet model;

    public FixtureModule(int hiddenSize = 16, double learningRate = 0.01)
    {
        HiddenSize = hiddenSize;
        LearningRate = learningRate;
        model = new FixtureNet(hiddenSize);
        RegisterComponents();
        SaveHyperparameters();
    }

    public int HiddenSize { get; }

    public double LearningRate { get; }

    public Tensor forward(Tensor x) => model.forward(x);

    public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) => functional.cross_entropy(forward(batch.X), batch.Y);

    public override OptimizerConfig ConfigureOptimizers() => optim.Adam(parameters(), LearningRate);
}
