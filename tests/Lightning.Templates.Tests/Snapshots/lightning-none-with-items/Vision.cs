using Lightning;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.optim;
using static TorchSharp.torch.optim.lr_scheduler;
// An alias rather than a using: torch.optim and TorchSharp.Modules, imported above, have an Adam too.
using MultiTensor = Lightning.Optimizers;

namespace Acme.Vision;

/// <summary>
/// Every hook Lightning calls, in the order it calls them, each with a note on what belongs there. It learns
/// a made-up rule on random numbers: replace the layers, the data and the steps, and delete the hooks you
/// do not need (the trainer then keeps its default behaviour).
/// </summary>
public sealed class Vision : LightningModule<(Tensor X, Tensor Y)>
{
    private const int Features = 8;
    private const int Classes = 2;

    private readonly Sequential _layers;
    private (Tensor X, Tensor Y)? _data;

    public Vision(int hiddenSize = 16, double learningRate = 0.01, int batchSize = 16)
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

    // ----- setup and configuration ---------------------------------------------------------------

    // Runs once before anything else: download or write data to disk here, but set no state.
    public override void PrepareData()
    {
    }

    // Runs at the start of every stage: load and split data, build what depends on it.
    public override void Setup(Stage stage)
    {
        if (_data is not null) return;
        var x = randn(64, Features);
        _data = (x, (x.sum(1) > 0).to(ScalarType.Int64));
    }

    // Runs after Setup in every stage: build layers that should exist only once a stage runs (each only if it is missing).
    public override void ConfigureModel()
    {
    }

    // Runs when the trainer starts: return callbacks this model always needs (they replace the trainer's of the same type).
    public override IEnumerable<Callback> ConfigureCallbacks() => [];

    // Runs when fit starts: return the optimizer (MultiTensor.Adam steps all parameters at once), or an (optimizer, scheduler) pair.
    public override OptimizerConfig? ConfigureOptimizers() => new MultiTensor.Adam(parameters(), LearningRate);

    // ----- data ----------------------------------------------------------------------------------

    // Asked for when training starts: return the training batches (or use a LightningDataModule instead).
    public override IEnumerable<(Tensor X, Tensor Y)>? TrainDataLoader() => new TensorDataLoader(_data!.Value.X, _data.Value.Y, BatchSize, shuffle: true);

    // Asked for when validation starts: return the validation batches.
    public override IEnumerable<(Tensor X, Tensor Y)>? ValDataLoader() => new TensorDataLoader(_data!.Value.X, _data.Value.Y, BatchSize);

    // Asked for when testing starts: return the test batches.
    public override IEnumerable<(Tensor X, Tensor Y)>? TestDataLoader() => new TensorDataLoader(_data!.Value.X, _data.Value.Y, BatchSize);

    // Asked for when validation starts; return several loaders to validate on each in turn (default: ValDataLoader's).
    public override IReadOnlyList<IEnumerable<(Tensor X, Tensor Y)>>? ValDataLoaders() => base.ValDataLoaders();

    // Asked for when testing starts; return several loaders to test on each in turn (default: TestDataLoader's).
    public override IReadOnlyList<IEnumerable<(Tensor X, Tensor Y)>>? TestDataLoaders() => base.TestDataLoaders();

    // Asked for when prediction starts: return the batches to predict on.
    public override IEnumerable<(Tensor X, Tensor Y)>? PredictDataLoader() => new TensorDataLoader(_data!.Value.X, _data.Value.Y, BatchSize);

    // Runs on each batch before it moves to the device: CPU-side transforms belong here.
    public override (Tensor X, Tensor Y) OnBeforeBatchTransfer((Tensor X, Tensor Y) batch, int dataloaderIdx) => batch;

    // Moves each batch to the device: override only for batch types the default cannot move.
    public override (Tensor X, Tensor Y) TransferBatchToDevice((Tensor X, Tensor Y) batch, Device device, int dataloaderIdx) =>
        base.TransferBatchToDevice(batch, device, dataloaderIdx);

    // Runs on each batch once it is on the device: GPU-side augmentation belongs here.
    public override (Tensor X, Tensor Y) OnAfterBatchTransfer((Tensor X, Tensor Y) batch, int dataloaderIdx) => batch;

    // ----- fit and training ----------------------------------------------------------------------

    // Runs when fit begins, after the optimizers are set up.
    public override void OnFitStart()
    {
    }

    // Runs when the training loop begins, after the sanity-check validation.
    public override void OnTrainStart()
    {
    }

    // Runs at the start of every training epoch.
    public override void OnTrainEpochStart()
    {
    }

    // Runs before every training batch; return -1 to skip the rest of the epoch.
    public override int OnTrainBatchStart((Tensor X, Tensor Y) batch, int batchIdx)
    {
        return 0;
    }

    // Runs for every training batch: compute and return the loss (null skips the batch); log what you want to watch.
    public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        var loss = functional.cross_entropy(forward(batch.X), batch.Y);
        Log("train_loss", loss, progBar: true);
        return loss;
    }

    // Runs before the gradients are zeroed.
    public override void OnBeforeZeroGrad(Optimizer optimizer)
    {
    }

    // Zeroes the gradients before each step: change how, if you need to.
    public override void OptimizerZeroGrad(int epoch, int batchIdx, Optimizer optimizer) => base.OptimizerZeroGrad(epoch, batchIdx, optimizer);

    // Runs before the backward pass, with the loss.
    public override void OnBeforeBackward(Tensor loss)
    {
    }

    // Runs the backward pass: override only for a custom backward.
    public override void Backward(Tensor loss) => base.Backward(loss);

    // Runs after the backward pass: inspect or change the gradients here.
    public override void OnAfterBackward()
    {
    }

    // Runs before each optimizer step, after gradients were unscaled and before they are clipped.
    public override void OnBeforeOptimizerStep(Optimizer optimizer)
    {
    }

    // Clips the gradients before each step (TrainerOptions.GradientClipVal): custom clipping belongs here.
    public override void ConfigureGradientClipping(Optimizer optimizer, double? gradientClipVal, GradientClipAlgorithm? gradientClipAlgorithm) =>
        base.ConfigureGradientClipping(optimizer, gradientClipVal, gradientClipAlgorithm);

    // Clips the gradients by norm or by value (ConfigureGradientClipping calls it): a different clipping belongs here.
    public override void ClipGradients(Optimizer optimizer, double? gradientClipVal = null, GradientClipAlgorithm? gradientClipAlgorithm = null) =>
        base.ClipGradients(optimizer, gradientClipVal, gradientClipAlgorithm);

    // Steps the optimizer (pass the closure on; LBFGS calls it): learning-rate warm-up and other per-step control belong here.
    public override void OptimizerStep(int epoch, int batchIdx, Optimizer optimizer, Func<Tensor>? optimizerClosure) =>
        base.OptimizerStep(epoch, batchIdx, optimizer, optimizerClosure);

    // Runs after every training batch, with what TrainingStep returned.
    public override void OnTrainBatchEnd(StepOutput outputs, (Tensor X, Tensor Y) batch, int batchIdx)
    {
    }

    // Runs at the end of every training epoch, after its validation: log epoch-level training metrics here (the 0.x TrainingEpochEnd(outputs) is not stubbed: overriding it keeps every step's output until the epoch ends).
    public override void OnTrainEpochEnd()
    {
    }

    // Steps a learning-rate scheduler (when ConfigureOptimizers returns one): custom stepping belongs here.
    public override void LrSchedulerStep(LRScheduler scheduler, double? metric) => base.LrSchedulerStep(scheduler, metric);

    // Runs when the training loop ends.
    public override void OnTrainEnd()
    {
    }

    // Runs when fit ends.
    public override void OnFitEnd() =>
        Console.WriteLine($"{GetType().Name} learned a made-up rule on random numbers. Replace the layers, Setup and the steps in {GetType().Name}.cs with your own.");

    // ----- validation ----------------------------------------------------------------------------

    // Runs before validation inside fit: the default zeroes the gradients.
    public override void OnValidationModelZeroGrad() => base.OnValidationModelZeroGrad();

    // Puts the model in evaluation mode for validation.
    public override void OnValidationModelEval() => base.OnValidationModelEval();

    // Runs when a validation run begins (also for the sanity check).
    public override void OnValidationStart()
    {
    }

    // Runs at the start of every validation epoch.
    public override void OnValidationEpochStart()
    {
    }

    // Runs before every validation batch.
    public override void OnValidationBatchStart((Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx)
    {
    }

    // Runs for every validation batch: compute and log the metrics to watch (val_loss, accuracy...).
    public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        var logits = forward(batch.X);
        Log("val_loss", functional.cross_entropy(logits, batch.Y), progBar: true);
        Log("val_acc", logits.argmax(1).eq(batch.Y).to(ScalarType.Float32).mean(), progBar: true);
        return null;
    }

    // Runs for every validation batch when ValDataLoader returns several loaders; dataloaderIdx says which.
    public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx) =>
        base.ValidationStep(batch, batchIdx, dataloaderIdx);

    // Runs after every validation batch, with what ValidationStep returned.
    public override void OnValidationBatchEnd(StepOutput? outputs, (Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx)
    {
    }

    // Runs at the end of every validation epoch: log epoch-level validation metrics here (the 0.x ValidationEpochEnd(outputs) is not stubbed: overriding it keeps every step's output until the epoch ends).
    public override void OnValidationEpochEnd()
    {
    }

    // Runs when a validation run ends.
    public override void OnValidationEnd()
    {
    }

    // Puts the model back in training mode after validation.
    public override void OnValidationModelTrain() => base.OnValidationModelTrain();

    // ----- test ----------------------------------------------------------------------------------

    // Puts the model in evaluation mode for testing.
    public override void OnTestModelEval() => base.OnTestModelEval();

    // Runs when testing begins.
    public override void OnTestStart()
    {
    }

    // Runs at the start of the test epoch.
    public override void OnTestEpochStart()
    {
    }

    // Runs before every test batch.
    public override void OnTestBatchStart((Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx)
    {
    }

    // Runs for every test batch: compute and log the final metrics.
    public override StepOutput? TestStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        Log("test_acc", forward(batch.X).argmax(1).eq(batch.Y).to(ScalarType.Float32).mean());
        return null;
    }

    // Runs for every test batch when TestDataLoader returns several loaders; dataloaderIdx says which.
    public override StepOutput? TestStep((Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx) =>
        base.TestStep(batch, batchIdx, dataloaderIdx);

    // Runs after every test batch, with what TestStep returned.
    public override void OnTestBatchEnd(StepOutput? outputs, (Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx)
    {
    }

    // Runs at the end of the test epoch: log epoch-level test metrics here (the 0.x TestEpochEnd(outputs) is not stubbed: overriding it keeps every step's output until the epoch ends).
    public override void OnTestEpochEnd()
    {
    }

    // Runs when testing ends.
    public override void OnTestEnd()
    {
    }

    // Puts the model back in training mode after testing.
    public override void OnTestModelTrain() => base.OnTestModelTrain();

    // ----- prediction ----------------------------------------------------------------------------

    // Puts the model in evaluation mode for prediction.
    public override void OnPredictModelEval() => base.OnPredictModelEval();

    // Runs when prediction begins.
    public override void OnPredictStart()
    {
    }

    // Runs at the start of the prediction epoch.
    public override void OnPredictEpochStart()
    {
    }

    // Runs before every prediction batch.
    public override void OnPredictBatchStart((Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx)
    {
    }

    // Runs for every prediction batch: return the prediction.
    public override Tensor PredictStep((Tensor X, Tensor Y) batch, int batchIdx) => forward(batch.X).argmax(1);

    // Runs for every prediction batch when PredictDataLoader returns several loaders; dataloaderIdx says which.
    public override Tensor PredictStep((Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx) =>
        base.PredictStep(batch, batchIdx, dataloaderIdx);

    // Runs after every prediction batch, with its prediction.
    public override void OnPredictBatchEnd(Tensor outputs, (Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx)
    {
    }

    // Runs at the end of the prediction epoch.
    public override void OnPredictEpochEnd()
    {
    }

    // Runs when prediction ends.
    public override void OnPredictEnd()
    {
    }

    // ----- checkpoints ---------------------------------------------------------------------------

    // Runs when a checkpoint is saved: add entries of your own to it.
    public override void OnSaveCheckpoint(IDictionary<string, object?> checkpoint)
    {
    }

    // Runs when a checkpoint is loaded, before the weights are restored: read your entries back.
    public override void OnLoadCheckpoint(IReadOnlyDictionary<string, object?> checkpoint)
    {
    }

    // ----- teardown ------------------------------------------------------------------------------

    // Runs at the end of every stage: release what Setup built.
    public override void Teardown(Stage stage)
    {
    }
}
