using Lightning;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.optim;
using static TorchSharp.torch.optim.lr_scheduler;
// An alias rather than a using: torch.optim and TorchSharp.Modules, imported above, have an Adam too.
using MultiTensor = Lightning.Optimizers;

namespace LightningNamespace;

/// <summary>
/// It learns a made-up rule on random numbers: replace the layers, the data and the steps. The hooks that make it
/// learn come first; below them is every other hook Lightning calls, in the order it calls them, each with a note on
/// what belongs there. Delete the hooks you do not need (the trainer then keeps its default behaviour).
/// </summary>
public sealed class LightningModel : LightningModule<(Tensor X, Tensor Y)>
{
    private const int Features = 8;
    private const int Classes = 2;

    private readonly Sequential _layers;
    private (Tensor X, Tensor Y)? _data;

    public LightningModel(int hiddenSize = 16, double learningRate = 0.01, int batchSize = 16)
    {
        HiddenSize = hiddenSize;
        LearningRate = learningRate;
        BatchSize = batchSize;
        _layers = Sequential(Linear(Features, hiddenSize), ReLU(), Linear(hiddenSize, Classes));
        RegisterComponents();
        SaveHyperparameters();
    }

    public int HiddenSize { get; }

    // Settable so that `dotnet run -- fit --tune lr` can set the rate it finds (`--tune batch-size` sets BatchSize).
    public double LearningRate { get; set; }

    public int BatchSize { get; set; }

    public Tensor forward(Tensor x) => _layers.forward(x);

    // ----- the hooks that make it learn --------------------------------------------------------------

    // Runs at the start of every stage: load and split data, build what depends on it.
    public override void Setup(Stage stage)
    {
        if (_data is not null) return;
        var x = randn(64, Features);
        _data = (x, (x.sum(1) > 0).to(ScalarType.Int64));
    }

    // Runs when fit starts: return the optimizer (MultiTensor.Adam steps all parameters at once), or an (optimizer, scheduler) pair.
    public override OptimizerConfig? ConfigureOptimizers() => new MultiTensor.Adam(parameters(), LearningRate);

    // Asked for when training starts: return the training batches (or use a LightningDataModule instead).
    public override IEnumerable<(Tensor X, Tensor Y)>? TrainDataLoader() => new TensorDataLoader(_data!.Value.X, _data.Value.Y, BatchSize, shuffle: true);

    // Asked for when validation starts: return the validation batches.
    public override IEnumerable<(Tensor X, Tensor Y)>? ValDataLoader() => new TensorDataLoader(_data!.Value.X, _data.Value.Y, BatchSize);

    // Asked for when testing starts: return the test batches.
    public override IEnumerable<(Tensor X, Tensor Y)>? TestDataLoader() => new TensorDataLoader(_data!.Value.X, _data.Value.Y, BatchSize);

    // Asked for when prediction starts: return the batches to predict on.
    public override IEnumerable<(Tensor X, Tensor Y)>? PredictDataLoader() => new TensorDataLoader(_data!.Value.X, _data.Value.Y, BatchSize);

    // Runs for every training batch: compute and return the loss (null skips the batch); log what you want to watch.
    public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        var loss = functional.cross_entropy(forward(batch.X), batch.Y);
        Log("train_loss", loss, progBar: true);
        return loss;
    }

    // Runs for every validation batch: compute and log the metrics to watch (val_loss, accuracy...).
    public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        var logits = forward(batch.X);
        Log("val_loss", functional.cross_entropy(logits, batch.Y), progBar: true);
        Log("val_acc", logits.argmax(1).eq(batch.Y).to(ScalarType.Float32).mean(), progBar: true);
        return null;
    }

    // Runs for every test batch: compute and log the final metrics.
    public override StepOutput? TestStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        Log("test_acc", forward(batch.X).argmax(1).eq(batch.Y).to(ScalarType.Float32).mean());
        return null;
    }

    // Runs for every prediction batch: return the prediction.
    public override Tensor PredictStep((Tensor X, Tensor Y) batch, int batchIdx) => forward(batch.X).argmax(1);

    // Runs when fit ends.
    public override void OnFitEnd() =>
        Console.WriteLine($"{GetType().Name} learned a made-up rule on random numbers. Replace the layers, Setup and the steps in {GetType().Name}.cs with your own.");

    // ----- every other hook, in the order Lightning calls them ---------------------------------------

    // @HookStubs@ The build writes them in place of this line (templates/Lightning.Templates.csproj runs `dotnet lightning stub-hooks`).
}
