using Lightning;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
// An alias rather than a using: TorchSharp.Modules, imported above, has an Adam too.
using MultiTensor = Lightning.Optimizers;

namespace LightningNamespace;

/// <summary>A LightningModule with the steps most models need; add other hooks as you need them.</summary>
public sealed class LightningItem : LightningModule<(Tensor X, Tensor Y)>
{
    private readonly Sequential _layers;

    public LightningItem(int inputSize = 8, int hiddenSize = 32, int numClasses = 2, double learningRate = 0.001)
    {
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumClasses = numClasses;
        LearningRate = learningRate;
        _layers = Sequential(Linear(inputSize, hiddenSize), ReLU(), Linear(hiddenSize, numClasses));
        RegisterComponents();
        SaveHyperparameters();
    }

    public int InputSize { get; }

    public int HiddenSize { get; }

    public int NumClasses { get; }

    public double LearningRate { get; }

    public Tensor forward(Tensor x) => _layers.forward(x);

    public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        var loss = functional.cross_entropy(forward(batch.X), batch.Y);
        Log("train_loss", loss, progBar: true);
        return loss;
    }

    public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        Log("val_loss", functional.cross_entropy(forward(batch.X), batch.Y), progBar: true);
        return null;
    }

    // The runtime's Adam: TorchSharp's optim.Adam (same arguments and state) with one multi-tensor step for all parameters.
    public override OptimizerConfig ConfigureOptimizers() => new MultiTensor.Adam(parameters(), LearningRate);
}
