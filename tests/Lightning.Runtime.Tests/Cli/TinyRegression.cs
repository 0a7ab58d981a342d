using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Tests.Cli;

/// <summary>A one-hidden-layer regressor whose constructor parameters become --model.* options.</summary>
internal sealed class TinyRegression : LightningModule<(Tensor X, Tensor Y)>
{
    private readonly Sequential _net;

    public TinyRegression(int hiddenSize = 8, double learningRate = 0.05, Activation activation = Activation.Relu, int inputSize = 4)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        HiddenSize = hiddenSize;
        InputSize = inputSize;
        LearningRate = learningRate;
        _net = Sequential(Linear(inputSize, hiddenSize), activation == Activation.Relu ? ReLU() : Tanh(), Linear(hiddenSize, 1));
        RegisterComponents();
    }

    public int HiddenSize { get; }

    public double LearningRate { get; set; }

    public int InputSize { get; }

    /// <summary>The epochs that ended, recorded because the CLI disposes the module when it is done.</summary>
    public List<int> EpochsSeen { get; } = [];

    /// <summary>How many test batches ran.</summary>
    public int TestBatchesSeen { get; private set; }

    public Tensor forward(Tensor x) => _net.forward(x);

    public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) => functional.mse_loss(forward(batch.X), batch.Y);

    public override StepOutput? TestStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        TestBatchesSeen++;
        Log("test_loss", functional.mse_loss(forward(batch.X), batch.Y));
        return null;
    }

    public override Tensor PredictStep((Tensor X, Tensor Y) batch, int batchIdx) => forward(batch.X);

    public override void OnTrainEpochEnd() => EpochsSeen.Add(CurrentEpoch);

    public override OptimizerConfig ConfigureOptimizers() => optim.SGD(parameters(), LearningRate);
}
