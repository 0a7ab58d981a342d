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
/// It learns a made-up rule on random numbers: replace the layers, the data and the steps. The hooks that make it
/// learn come first; below them is every other hook Lightning calls, in the order it calls them, each with a note on
/// what belongs there. Delete the hooks you do not need (the trainer then keeps its default behaviour).
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

    public override void PrepareData()
    {
        // Download or write data to disk, once per machine; do not set state here. Runs first.
    }

    public override void ConfigureModel()
    {
        // Build layers that should exist only once a stage runs; runs after Setup in every stage (and before a resumed fit loads weights), so build each only if missing.
    }

    public override IEnumerable<Callback> ConfigureCallbacks()
    {
        // Return callbacks this module needs; they replace the trainer's callbacks of the same type.
        // For example: yield return new EarlyStopping(monitor: "val_loss", patience: 3, mode: MonitorMode.Min);
        yield break;
    }

    public override void OnFitStart()
    {
        // Called when fit begins, after the optimizers are set up.
    }

    public override IReadOnlyList<IEnumerable<(Tensor X, Tensor Y)>>? ValDataLoaders()
    {
        // Several validation loaders, run in turn, each with its dataloaderIdx (logged names get /dataloader_idx_N); the default is ValDataLoader alone.
        // For example: return [new TensorDataLoader(valX, valY, batchSize: 64), new TensorDataLoader(othervalX, othervalY, batchSize: 64)];
        return base.ValDataLoaders();
    }

    public override IReadOnlyList<IEnumerable<(Tensor X, Tensor Y)>>? TestDataLoaders()
    {
        // Several test loaders, run in turn, each with its dataloaderIdx (logged names get /dataloader_idx_N); the default is TestDataLoader alone.
        // For example: return [new TensorDataLoader(testX, testY, batchSize: 64), new TensorDataLoader(othertestX, othertestY, batchSize: 64)];
        return base.TestDataLoaders();
    }

    public override void OnTrainStart()
    {
        // Called when the training loop begins, after the sanity check.
    }

    public override void OnTrainEpochStart()
    {
        // Called at the start of each training epoch.
    }

    public override (Tensor X, Tensor Y) OnBeforeBatchTransfer((Tensor X, Tensor Y) batch, int dataloaderIdx)
    {
        // Changes a batch before it moves to the device (runs where the loader runs, usually the CPU).
        return batch;
    }

    public override (Tensor X, Tensor Y) TransferBatchToDevice((Tensor X, Tensor Y) batch, Device device, int dataloaderIdx)
    {
        // Moves a batch to the device; the default moves tensors and tuples, lists, arrays and dictionaries of them.
        return base.TransferBatchToDevice(batch, device, dataloaderIdx);
    }

    public override (Tensor X, Tensor Y) OnAfterBatchTransfer((Tensor X, Tensor Y) batch, int dataloaderIdx)
    {
        // Changes a batch after it reached the device (augmentation on the GPU, say).
        return batch;
    }

    public override int OnTrainBatchStart((Tensor X, Tensor Y) batch, int batchIdx)
    {
        // Called before each training batch; the module's hook returns -1 to skip the rest of the epoch (Lightning's return -1), else 0.
        return base.OnTrainBatchStart(batch, batchIdx);
    }

    public override void OnBeforeZeroGrad(Optimizer optimizer)
    {
        // Called before the gradients are zeroed.
    }

    public override void OptimizerZeroGrad(int epoch, int batchIdx, Optimizer optimizer)
    {
        // Clears the optimizer's gradients before the next backward; override to change how.
        base.OptimizerZeroGrad(epoch, batchIdx, optimizer);
    }

    public override void OnBeforeBackward(Tensor loss)
    {
        // Called before loss.backward().
    }

    public override void Backward(Tensor loss)
    {
        // Runs the backward pass; override for a custom backward.
        base.Backward(loss);
    }

    public override void OnAfterBackward()
    {
        // Called after the backward pass, before the optimizer step; inspect gradients here.
    }

    public override void OnBeforeOptimizerStep(Optimizer optimizer)
    {
        // Called before each optimizer step, after the gradients were unscaled and before they are clipped.
    }

    public override void ConfigureGradientClipping(Optimizer optimizer, double? gradientClipVal, GradientClipAlgorithm? gradientClipAlgorithm)
    {
        // Clips gradients before the step; the default applies GradientClipVal and GradientClipAlgorithm.
        base.ConfigureGradientClipping(optimizer, gradientClipVal, gradientClipAlgorithm);
    }

    public override void ClipGradients(Optimizer optimizer, double? gradientClipVal = null, GradientClipAlgorithm? gradientClipAlgorithm = null)
    {
        // Clips the gradients by norm or by value; the default ConfigureGradientClipping calls it.
        base.ClipGradients(optimizer, gradientClipVal, gradientClipAlgorithm);
    }

    public override void OptimizerStep(int epoch, int batchIdx, Optimizer optimizer, Func<Tensor>? optimizerClosure)
    {
        // Steps the optimizer, passing the closure on; override for learning-rate warm-up or other per-step control.
        base.OptimizerStep(epoch, batchIdx, optimizer, optimizerClosure);
    }

    public override void OnTrainBatchEnd(StepOutput outputs, (Tensor X, Tensor Y) batch, int batchIdx)
    {
        // Called after each training batch with what the step returned.
    }

    // TrainingEpochEnd(outputs) is not stubbed: overriding it keeps every step's output until the epoch ends. Lightning 0.x: receives every training step's output of the epoch (kept only when this is overridden); return metrics to log.

    public override void OnValidationModelZeroGrad()
    {
        // Called before validation inside fit; the default zeroes the gradients.
        base.OnValidationModelZeroGrad();
    }

    public override void OnValidationModelEval()
    {
        // Puts the module in evaluation mode for validation.
        base.OnValidationModelEval();
    }

    public override void OnValidationStart()
    {
        // Called when a validation run begins (also during the sanity check).
    }

    public override void OnValidationEpochStart()
    {
        // Called at the start of each validation epoch.
    }

    public override void OnValidationBatchStart((Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx)
    {
        // Called before each validation batch.
    }

    public override void OnValidationBatchEnd(StepOutput? outputs, (Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx)
    {
        // Called after each validation batch.
    }

    // ValidationEpochEnd(outputs) is not stubbed: overriding it keeps every step's output until the epoch ends. Lightning 0.x: receives every validation step's output of the run; return metrics to log.

    public override void OnValidationEpochEnd()
    {
        // Called at the end of each validation epoch; log epoch-level validation metrics here.
    }

    public override void OnValidationEnd()
    {
        // Called when a validation run ends.
    }

    public override void OnValidationModelTrain()
    {
        // Ends validation's evaluation mode; where not overridden, each submodule gets back the mode it had before validation.
        base.OnValidationModelTrain();
    }

    public override void LrSchedulerStep(LRScheduler scheduler, double? metric)
    {
        // Steps a learning-rate scheduler, with the monitored metric when it needs one.
        base.LrSchedulerStep(scheduler, metric);
    }

    public override void OnTrainEpochEnd()
    {
        // Called at the end of each training epoch, after its validation; log epoch-level training metrics here.
    }

    public override void OnTrainEnd()
    {
        // Called when the training loop ends.
    }

    public override void OnTestModelEval()
    {
        // Puts the module in evaluation mode for testing.
        base.OnTestModelEval();
    }

    public override void OnTestStart()
    {
        // Called when testing begins.
    }

    public override void OnTestEpochStart()
    {
        // Called at the start of the test epoch.
    }

    public override void OnTestBatchStart((Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx)
    {
        // Called before each test batch.
    }

    public override void OnTestBatchEnd(StepOutput? outputs, (Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx)
    {
        // Called after each test batch.
    }

    // TestEpochEnd(outputs) is not stubbed: overriding it keeps every step's output until the epoch ends. Lightning 0.x: receives every test step's output; return metrics to log.

    public override void OnTestEpochEnd()
    {
        // Called at the end of the test epoch; log epoch-level test metrics here.
    }

    public override void OnTestEnd()
    {
        // Called when testing ends.
    }

    public override void OnTestModelTrain()
    {
        // Ends testing's evaluation mode; where not overridden, each submodule gets back the mode it had before the test.
        base.OnTestModelTrain();
    }

    public override void OnPredictModelEval()
    {
        // Puts the module in evaluation mode for prediction; each submodule's previous mode is restored afterwards.
        base.OnPredictModelEval();
    }

    public override void OnPredictStart()
    {
        // Called when prediction begins.
    }

    public override void OnPredictEpochStart()
    {
        // Called at the start of the prediction epoch.
    }

    public override void OnPredictBatchStart((Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx)
    {
        // Called before each prediction batch.
    }

    public override void OnPredictBatchEnd(Tensor outputs, (Tensor X, Tensor Y) batch, int batchIdx, int dataloaderIdx)
    {
        // Called after each prediction batch with its prediction.
    }

    public override void OnPredictEpochEnd()
    {
        // Called at the end of the prediction epoch.
    }

    public override void OnPredictEnd()
    {
        // Called when prediction ends.
    }

    public override void OnSaveCheckpoint(IDictionary<string, object?> checkpoint)
    {
        // Called when a checkpoint is saved; add your own entries to it. For example: checkpoint["vocabulary_size"] = 30000;
    }

    public override void OnLoadCheckpoint(IReadOnlyDictionary<string, object?> checkpoint)
    {
        // Called when a checkpoint is loaded, before the state is restored; read your own entries here.
    }

    public override void Teardown(Stage stage)
    {
        // Release what Setup built; runs at the end of every stage.
    }
}
