using Lightning;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
// An alias rather than a using: TorchSharp.Modules, imported above, has an Adam too.
using MultiTensor = Lightning.Optimizers;

namespace Flowers;

/// <summary>A multilayer perceptron with one hidden layer that sorts feature vectors into classes.</summary>
public sealed class Classifier : LightningModule<(Tensor X, Tensor Y)>
{
    private readonly Sequential _layers;

    public Classifier(int inputSize = 4, int numClasses = 3, int hiddenSize = 32, double learningRate = 0.005)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        InputSize = inputSize;
        NumClasses = numClasses;
        HiddenSize = hiddenSize;
        LearningRate = learningRate;
        _layers = Sequential(Linear(inputSize, hiddenSize), ReLU(), Linear(hiddenSize, numClasses));
        RegisterComponents();
        SaveHyperparameters();
    }

    public int InputSize { get; }

    public int NumClasses { get; }

    public int HiddenSize { get; }

    public double LearningRate { get; set; }

    public Tensor forward(Tensor x) => _layers.forward(x);

    public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        var loss = functional.cross_entropy(forward(batch.X), batch.Y);
        Log("train_loss", loss, progBar: true);
        return loss;
    }

    public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        var logits = forward(batch.X);
        Log("val_loss", functional.cross_entropy(logits, batch.Y), progBar: true);
        Log("val_acc", Accuracy(logits, batch.Y), progBar: true);
        return null;
    }

    public override StepOutput? TestStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        Log("test_acc", Accuracy(forward(batch.X), batch.Y));
        return null;
    }

    public override Tensor PredictStep((Tensor X, Tensor Y) batch, int batchIdx) => forward(batch.X).argmax(1);

    // The runtime's Adam: TorchSharp's optim.Adam (same arguments and state) with one multi-tensor step for all parameters.
    public override OptimizerConfig ConfigureOptimizers() => new MultiTensor.Adam(parameters(), LearningRate);

    private static Tensor Accuracy(Tensor logits, Tensor labels) => logits.argmax(1).eq(labels).to(ScalarType.Float32).mean();
}
