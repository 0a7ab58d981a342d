using Lightning;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace StartupProbe;

/// <summary>A small MLP over the 8×8 digits, as the classifier template has.</summary>
internal sealed class DigitsModule : LightningModule<(Tensor X, Tensor Y)>
{
    private readonly Module<Tensor, Tensor> net = Sequential(Linear(64, 128), ReLU(), Dropout(0.1), Linear(128, 10));

    public DigitsModule() : base(nameof(DigitsModule)) => RegisterComponents();

    public Tensor forward(Tensor x) => net.forward(x);

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
        Log("val_acc", logits.argmax(1).eq(batch.Y).to_type(ScalarType.Float32).mean(), progBar: true);
        return null;
    }

    public override OptimizerConfig? ConfigureOptimizers() => optim.Adam(parameters(), 1e-3);
}
