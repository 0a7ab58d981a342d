using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Tests.Support;

/// <summary>A two-layer MLP for the 8x8 digits, written as a user would write it.</summary>
internal sealed class DigitsClassifier : LightningModule<(Tensor X, Tensor Y)>
{
    private readonly Linear _hidden;
    private readonly Linear _output;

    public DigitsClassifier(int hiddenSize = 64, double learningRate = 0.01)
    {
        HiddenSize = hiddenSize;
        LearningRate = learningRate;
        _hidden = Linear(64, hiddenSize);
        _output = Linear(hiddenSize, 10);
        RegisterComponents();
        SaveHyperparameters();
    }

    public int HiddenSize { get; }

    public double LearningRate { get; }

    public Tensor forward(Tensor x) => _output.forward(functional.relu(_hidden.forward(x)));

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
        Log("val_acc", logits.argmax(1).eq(batch.Y).to(ScalarType.Float32).mean());
        return null;
    }

    public override StepOutput? TestStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        var logits = forward(batch.X);
        Log("test_acc", logits.argmax(1).eq(batch.Y).to(ScalarType.Float32).mean());
        return null;
    }

    public override Tensor PredictStep((Tensor X, Tensor Y) batch, int batchIdx) => forward(batch.X).argmax(1);

    public override OptimizerConfig ConfigureOptimizers() => optim.Adam(parameters(), LearningRate);
}
