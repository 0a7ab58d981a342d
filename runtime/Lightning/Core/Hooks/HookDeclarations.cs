using static TorchSharp.torch;
using static TorchSharp.torch.optim;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Lightning.Hooks;

/// <summary>
/// Every hook, once, in the order Lightning calls them: the one place a hook is declared (see README.md beside this
/// file). Each method is the module's form of the hook; a callback's form takes the trainer and the module first,
/// <c>object</c> for <c>TBatch</c> and returns nothing. The generator in <c>runtime/Lightning.Generators</c> reads this
/// file's syntax and writes the name constants, the callback virtuals, <see cref="LambdaCallback"/>, the logging rules,
/// the empty module and data-module defaults, and the interfaces that make the compiler check the hand-written ones.
/// Nothing implements this interface.
/// </summary>
/// <typeparam name="TBatch">What the data loaders yield.</typeparam>
internal interface IHookDeclarations<TBatch>
{
    [Hook("Download or write data to disk, once per machine; do not set state here. Runs first.",
        Targets = HookTargets.Module | HookTargets.DataModule, Log = HookLog.Never)]
    void PrepareData();

    [Hook("Build what needs the data or the stage (splits, vocabularies, layers sized from data); runs at the start of every stage.",
        Targets = HookTargets.Module | HookTargets.Callbacks | HookTargets.DataModule, Log = HookLog.Never)]
    void Setup(Stage stage);

    [Hook("Build layers that should exist only once a stage runs; runs after Setup in every stage (and before a resumed fit loads weights), so build each only if missing.")]
    void ConfigureModel();

    [Hook("Return callbacks this module needs; they replace the trainer's callbacks of the same type.",
        Log = HookLog.Never, HandWrittenDefault = true)]
    IEnumerable<Callback> ConfigureCallbacks();

    [Hook("Return the optimizers and learning-rate schedulers (any of Lightning's return forms).", Log = HookLog.Never)]
    OptimizerConfig? ConfigureOptimizers();

    [Hook("Called when fit begins, after the optimizers are set up.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnFitStart();

    [Hook("The training batches; not needed when a data module or the trainer supplies them.",
        Targets = HookTargets.Module | HookTargets.DataModule, Log = HookLog.Never)]
    IEnumerable<TBatch>? TrainDataLoader();

    [Hook("The validation batches; validation runs only when these exist and ValidationStep is overridden.",
        Targets = HookTargets.Module | HookTargets.DataModule, Log = HookLog.Never)]
    IEnumerable<TBatch>? ValDataLoader();

    [Hook("The test batches.", Targets = HookTargets.Module | HookTargets.DataModule, Log = HookLog.Never)]
    IEnumerable<TBatch>? TestDataLoader();

    [Hook("Several validation loaders, run in turn, each with its dataloaderIdx (logged names get /dataloader_idx_N); the default is ValDataLoader alone.",
        Targets = HookTargets.Module | HookTargets.DataModule, Log = HookLog.Never, HandWrittenDefault = true)]
    IReadOnlyList<IEnumerable<TBatch>>? ValDataLoaders();

    [Hook("Several test loaders, run in turn, each with its dataloaderIdx (logged names get /dataloader_idx_N); the default is TestDataLoader alone.",
        Targets = HookTargets.Module | HookTargets.DataModule, Log = HookLog.Never, HandWrittenDefault = true)]
    IReadOnlyList<IEnumerable<TBatch>>? TestDataLoaders();

    [Hook("The batches to predict on.", Targets = HookTargets.Module | HookTargets.DataModule, Log = HookLog.Never)]
    IEnumerable<TBatch>? PredictDataLoader();

    [Hook("Called before the sanity-check validation runs.", Targets = HookTargets.Callbacks)]
    void OnSanityCheckStart();

    [Hook("Called after the sanity-check validation.", Targets = HookTargets.Callbacks)]
    void OnSanityCheckEnd();

    [Hook("Called when the training loop begins, after the sanity check.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnTrainStart();

    [Hook("Called at the start of each training epoch.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnTrainEpochStart();

    [Hook("Changes a batch before it moves to the device (runs where the loader runs, usually the CPU).",
        Log = HookLog.Never, HandWrittenDefault = true)]
    TBatch OnBeforeBatchTransfer(TBatch batch, int dataloaderIdx);

    [Hook("Moves a batch to the device; the default moves tensors and tuples, lists, arrays and dictionaries of them.",
        Log = HookLog.Never, HandWrittenDefault = true)]
    TBatch TransferBatchToDevice(TBatch batch, Device device, int dataloaderIdx);

    [Hook("Changes a batch after it reached the device (augmentation on the GPU, say).", Log = HookLog.Never, HandWrittenDefault = true)]
    TBatch OnAfterBatchTransfer(TBatch batch, int dataloaderIdx);

    [Hook("Called before each training batch; the module's hook returns -1 to skip the rest of the epoch (Lightning's return -1), else 0.",
        Targets = HookTargets.Module | HookTargets.Callbacks, Log = HookLog.PerStep, HandWrittenDefault = true)]
    int OnTrainBatchStart(TBatch batch, int batchIdx);

    [Hook("Computes and returns the training loss for one batch; null skips the batch.", Log = HookLog.PerStep, HandWrittenDefault = true)]
    StepOutput? TrainingStep(TBatch batch, int batchIdx);

    [Hook("Called before the gradients are zeroed.", Targets = HookTargets.Module | HookTargets.Callbacks, Log = HookLog.PerStep)]
    void OnBeforeZeroGrad(Optimizer optimizer);

    [Hook("Clears the optimizer's gradients before the next backward; override to change how.", Log = HookLog.PerStep, HandWrittenDefault = true)]
    void OptimizerZeroGrad(int epoch, int batchIdx, Optimizer optimizer);

    [Hook("Called before loss.backward().", Targets = HookTargets.Module | HookTargets.Callbacks, Log = HookLog.PerStep)]
    void OnBeforeBackward(Tensor loss);

    [Hook("Runs the backward pass; override for a custom backward.", Log = HookLog.PerStep, HandWrittenDefault = true)]
    void Backward(Tensor loss);

    [Hook("Called after the backward pass, before the optimizer step; inspect gradients here.",
        Targets = HookTargets.Module | HookTargets.Callbacks, Log = HookLog.PerStep)]
    void OnAfterBackward();

    [Hook("Called before each optimizer step, after the gradients were unscaled and before they are clipped.",
        Targets = HookTargets.Module | HookTargets.Callbacks, Log = HookLog.PerStep)]
    void OnBeforeOptimizerStep(Optimizer optimizer);

    [Hook("Clips gradients before the step; the default applies GradientClipVal and GradientClipAlgorithm.", Log = HookLog.PerStep, HandWrittenDefault = true)]
    void ConfigureGradientClipping(Optimizer optimizer, double? gradientClipVal, GradientClipAlgorithm? gradientClipAlgorithm);

    [Hook("Clips the gradients by norm or by value; the default ConfigureGradientClipping calls it.", HandWrittenDefault = true)]
    void ClipGradients(Optimizer optimizer, double? gradientClipVal = null, GradientClipAlgorithm? gradientClipAlgorithm = null);

    [Hook("Steps the optimizer, passing the closure on; override for learning-rate warm-up or other per-step control.",
        Log = HookLog.PerStep, HandWrittenDefault = true)]
    void OptimizerStep(int epoch, int batchIdx, Optimizer optimizer, Func<Tensor>? optimizerClosure);

    [Hook("Called after each training batch with what the step returned.",
        Targets = HookTargets.Module | HookTargets.Callbacks, Order = HookOrder.CheckpointCallbacksLast, Log = HookLog.PerStep)]
    void OnTrainBatchEnd(StepOutput outputs, TBatch batch, int batchIdx);

    [Hook("Lightning 0.x: receives every training step's output of the epoch (kept only when this is overridden); return metrics to log.")]
    StepOutput? TrainingEpochEnd(IReadOnlyList<StepOutput> outputs);

    [Hook("Called before validation inside fit; the default zeroes the gradients.", HandWrittenDefault = true)]
    void OnValidationModelZeroGrad();

    [Hook("Puts the module in evaluation mode for validation.", HandWrittenDefault = true)]
    void OnValidationModelEval();

    [Hook("Called when a validation run begins (also during the sanity check).", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnValidationStart();

    [Hook("Called at the start of each validation epoch.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnValidationEpochStart();

    [Hook("Called before each validation batch.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnValidationBatchStart(TBatch batch, int batchIdx, int dataloaderIdx);

    [Hook("Evaluates one validation batch; log metrics with Log, or return them for ValidationEpochEnd.")]
    StepOutput? ValidationStep(TBatch batch, int batchIdx);

    [Hook("Called after each validation batch.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnValidationBatchEnd(StepOutput? outputs, TBatch batch, int batchIdx, int dataloaderIdx);

    [Hook("Lightning 0.x: receives every validation step's output of the run; return metrics to log.")]
    StepOutput? ValidationEpochEnd(IReadOnlyList<StepOutput> outputs);

    [Hook("Called at the end of each validation epoch; log epoch-level validation metrics here.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnValidationEpochEnd();

    [Hook("Called when a validation run ends.", Targets = HookTargets.Module | HookTargets.Callbacks, Order = HookOrder.CheckpointCallbacksLast)]
    void OnValidationEnd();

    [Hook("Ends validation's evaluation mode; where not overridden, each submodule gets back the mode it had before validation.", HandWrittenDefault = true)]
    void OnValidationModelTrain();

    [Hook("Steps a learning-rate scheduler, with the monitored metric when it needs one.", Log = HookLog.PerStep, HandWrittenDefault = true)]
    void LrSchedulerStep(LRScheduler scheduler, double? metric);

    [Hook("Called at the end of each training epoch, after its validation; log epoch-level training metrics here.",
        Targets = HookTargets.Module | HookTargets.Callbacks, Order = HookOrder.MonitoringCallbacksLast)]
    void OnTrainEpochEnd();

    [Hook("Called when the training loop ends.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnTrainEnd();

    [Hook("Called when fit ends.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnFitEnd();

    [Hook("Puts the module in evaluation mode for testing.", HandWrittenDefault = true)]
    void OnTestModelEval();

    [Hook("Called when testing begins.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnTestStart();

    [Hook("Called at the start of the test epoch.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnTestEpochStart();

    [Hook("Called before each test batch.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnTestBatchStart(TBatch batch, int batchIdx, int dataloaderIdx);

    [Hook("Evaluates one test batch; log metrics with Log.")]
    StepOutput? TestStep(TBatch batch, int batchIdx);

    [Hook("Called after each test batch.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnTestBatchEnd(StepOutput? outputs, TBatch batch, int batchIdx, int dataloaderIdx);

    [Hook("Lightning 0.x: receives every test step's output; return metrics to log.")]
    StepOutput? TestEpochEnd(IReadOnlyList<StepOutput> outputs);

    [Hook("Called at the end of the test epoch; log epoch-level test metrics here.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnTestEpochEnd();

    [Hook("Called when testing ends.", Targets = HookTargets.Module | HookTargets.Callbacks, Order = HookOrder.CheckpointCallbacksLast)]
    void OnTestEnd();

    [Hook("Ends testing's evaluation mode; where not overridden, each submodule gets back the mode it had before the test.", HandWrittenDefault = true)]
    void OnTestModelTrain();

    [Hook("Puts the module in evaluation mode for prediction; each submodule's previous mode is restored afterwards.", HandWrittenDefault = true)]
    void OnPredictModelEval();

    [Hook("Called when prediction begins.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnPredictStart();

    [Hook("Called at the start of the prediction epoch.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnPredictEpochStart();

    [Hook("Called before each prediction batch.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnPredictBatchStart(TBatch batch, int batchIdx, int dataloaderIdx);

    [Hook("Returns the prediction for one batch; Trainer.Predict collects them.", HandWrittenDefault = true)]
    Tensor PredictStep(TBatch batch, int batchIdx);

    [Hook("Called after each prediction batch with its prediction.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnPredictBatchEnd(Tensor outputs, TBatch batch, int batchIdx, int dataloaderIdx);

    [Hook("Called at the end of the prediction epoch.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnPredictEpochEnd();

    [Hook("Called when prediction ends.", Targets = HookTargets.Module | HookTargets.Callbacks)]
    void OnPredictEnd();

    [Hook("Called when a checkpoint is saved; add your own entries to it.", Targets = HookTargets.Module | HookTargets.Callbacks, Log = HookLog.Never)]
    void OnSaveCheckpoint(IDictionary<string, object?> checkpoint);

    [Hook("Called when a checkpoint is loaded, before the state is restored; read your own entries here.",
        Targets = HookTargets.Module | HookTargets.Callbacks, Order = HookOrder.ModuleFirst, Log = HookLog.Never)]
    void OnLoadCheckpoint(IReadOnlyDictionary<string, object?> checkpoint);

    [Hook("Called when any hook or step throws; the exception is rethrown after all callbacks ran.", Targets = HookTargets.Callbacks)]
    void OnException(Exception exception);

    [Hook("Release what Setup built; runs at the end of every stage.",
        Targets = HookTargets.Module | HookTargets.Callbacks | HookTargets.DataModule, Log = HookLog.Never)]
    void Teardown(Stage stage);
}
