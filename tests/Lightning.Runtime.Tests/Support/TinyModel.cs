using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Lightning.Tests.Support;

/// <summary>A linear classifier over 8 features, with overridable steps, for trainer behaviour tests.</summary>
internal class TinyModel : LightningModule<(Tensor X, Tensor Y)>
{
    public TinyModel(int features = 8, int classes = 2)
    {
        Layer = Linear(features, classes);
        RegisterComponents();
    }

    public Linear Layer { get; }

    public double LearningRate { get; init; } = 0.1;

    public Tensor forward(Tensor x) => Layer.forward(x);

    public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) =>
        functional.cross_entropy(forward(batch.X), batch.Y);

    public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        Log("val_loss", functional.cross_entropy(forward(batch.X), batch.Y));
        return null;
    }

    public override StepOutput? TestStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        Log("test_loss", functional.cross_entropy(forward(batch.X), batch.Y));
        return null;
    }

    public override Tensor PredictStep((Tensor X, Tensor Y) batch, int batchIdx) => forward(batch.X);

    public override OptimizerConfig? ConfigureOptimizers() => optim.SGD(parameters(), LearningRate);

    /// <summary>A copy of every parameter, for comparing runs.</summary>
    public List<Tensor> Snapshot() => parameters().Select(p => p.detach().clone()).ToList();
}
