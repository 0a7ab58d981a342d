using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.optim;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Lightning.Tests;

/// <summary>
/// A digits classifier with every kind of state a resume must carry: dropout (random numbers), Adam (optimizer
/// state), a step scheduler and a plateau scheduler, metrics logged per step and per epoch, and a 0.x
/// <c>TrainingEpochEnd</c> (kept outputs). It records each batch it trains on, and can end an epoch early from
/// <c>OnTrainBatchStart</c>.
/// </summary>
internal sealed class ResumableModel : LightningModule<(Tensor X, Tensor Y)>
{
    private readonly Linear _hidden;
    private readonly Dropout _dropout;
    private readonly Linear _output;

    public ResumableModel(int hiddenSize = 32, double learningRate = 0.01)
    {
        HiddenSize = hiddenSize;
        LearningRate = learningRate;
        _hidden = Linear(64, hiddenSize);
        _dropout = Dropout(0.2);
        _output = Linear(hiddenSize, 10);
        RegisterComponents();
        SaveHyperparameters();
    }

    public int HiddenSize { get; }

    public double LearningRate { get; }

    /// <summary>Train with the runtime's multi-tensor Adam instead of TorchSharp's.</summary>
    public bool MultiTensor { get; init; }

    /// <summary>The epoch and batch at which <c>OnTrainBatchStart</c> returns -1, ending that epoch there; none when null.</summary>
    public (int Epoch, int Batch)? EndEpochAt { get; init; }

    /// <summary>
    /// The position of the fit (epoch, batch index, global step, batches completed, accumulation) and the sum of the
    /// batch's inputs at every training step, in order.
    /// </summary>
    public List<(int Epoch, int Batch, long Step, int Completed, int Accumulate, float Sum)> Seen { get; } = [];

    public Tensor forward(Tensor x) => _output.forward(functional.relu(_dropout.forward(_hidden.forward(x))));

    public override int OnTrainBatchStart((Tensor X, Tensor Y) batch, int batchIdx) => EndEpochAt == (CurrentEpoch, batchIdx) ? -1 : 0;

    public override StepOutput TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        var t = Trainer!;
        Seen.Add((CurrentEpoch, batchIdx, GlobalStep, t.BatchesCompletedInEpoch, t.AccumulateGradBatches, batch.X.sum().item<float>()));
        var loss = functional.cross_entropy(forward(batch.X), batch.Y);
        Log("train_loss", loss, onStep: true, onEpoch: true);
        return loss;
    }

    public override StepOutput? TrainingEpochEnd(IReadOnlyList<StepOutput> outputs) => new()
    {
        Log = { ["mean_step_loss"] = stack(outputs.Select(o => o.Loss!).ToList()).mean() },
    };

    public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        var logits = forward(batch.X);
        Log("val_loss", functional.cross_entropy(logits, batch.Y));
        Log("val_acc", logits.argmax(1).eq(batch.Y).to(ScalarType.Float32).mean());
        return null;
    }

    public override OptimizerConfig ConfigureOptimizers()
    {
        var adam = MultiTensor ? new Lightning.Optimizers.Adam(parameters(), LearningRate) : Adam(parameters(), LearningRate);
        return new OptimizerConfig(adam, StepLR(adam, 2, 0.5), new LRSchedulerConfig(ReduceLROnPlateau(adam, patience: 0)) { Monitor = "val_loss" });
    }

    /// <summary>A copy of every parameter and buffer, for comparing runs bit for bit.</summary>
    public Dictionary<string, Tensor> Weights() => state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone());
}
