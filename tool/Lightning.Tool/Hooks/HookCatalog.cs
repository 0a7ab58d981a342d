using Lightning.Text;

namespace Lightning.Tool.Hooks;

/// <summary>
/// Every hook a module can override, in Lightning's calling order, and the groups built from them. A test
/// compares this list with the runtime's virtual methods, so a hook added to the runtime fails the tests
/// until it has an entry (and a template) here.
/// </summary>
internal static class HookCatalog
{
    // Templates shared by hooks of the same shape.
    private const string Notification = "Notification";
    private const string BaseCall = "BaseCall";

    /// <summary>The hooks, in the order Lightning calls them.</summary>
    public static IReadOnlyList<HookDefinition> Hooks { get; } =
    [
        new("PrepareData", "Download or write data to disk once per machine; set no state here.", Notification),
        new("Setup", "Build what needs the data or the stage (splits, layers sized from data); runs at the start of every stage.", "Setup"),
        new("ConfigureModel", "Build layers that should exist only once a stage runs; runs after Setup in every stage, so build each only if missing.", Notification),
        new("ConfigureCallbacks", "Return callbacks this module needs (early stopping, checkpointing, ...).", "ConfigureCallbacks"),
        new("ConfigureOptimizers", "Return the optimizer, and learning-rate schedulers if any.", "ConfigureOptimizers"),
        new("OnFitStart", "Runs when fit begins, after the optimizers are set up.", Notification),
        new("TrainDataLoader", "Return the training batches (not needed when a data module or Trainer.Fit supplies them).", "DataLoader", "train"),
        new("ValDataLoader", "Return the validation batches (not needed when a data module or Trainer.Fit supplies them).", "DataLoader", "val"),
        new("TestDataLoader", "Return the test batches (not needed when a data module or Trainer.Test supplies them).", "DataLoader", "test"),
        new("ValDataLoaders", "Return several validation loaders, run in turn with their dataloaderIdx (metrics get /dataloader_idx_N).", "DataLoaders", "val"),
        new("TestDataLoaders", "Return several test loaders, run in turn with their dataloaderIdx (metrics get /dataloader_idx_N).", "DataLoaders", "test"),
        new("PredictDataLoader", "Return the batches to predict on (not needed when a data module or Trainer.Predict supplies them).", "DataLoader", "predict"),
        new("OnTrainStart", "Runs when the training loop begins, after the sanity check.", Notification),
        new("OnTrainEpochStart", "Runs at the start of each training epoch.", Notification),
        new("OnBeforeBatchTransfer", "Change a batch before it moves to the device (runs where the loader runs, usually the CPU).", "BatchTransfer"),
        new("TransferBatchToDevice", "Move a batch to the device; override for batch types holding tensors the default does not find.", "TransferBatchToDevice"),
        new("OnAfterBatchTransfer", "Change a batch after it reached the device (augmentation on the GPU, say).", "BatchTransfer"),
        new("OnTrainBatchStart", "Runs before each training batch.", "OnTrainBatchStart"),
        new("TrainingStep", "Compute and return the training loss of one batch.", "TrainingStep"),
        new("OnBeforeZeroGrad", "Runs before the gradients are zeroed.", "OnBeforeZeroGrad"),
        new("OptimizerZeroGrad", "Zero the optimizer's gradients; override to change how.", "OptimizerZeroGrad"),
        new("OnBeforeBackward", "Runs before loss.backward().", "OnBeforeBackward"),
        new("Backward", "Run the backward pass; override for a custom backward.", "Backward"),
        new("OnAfterBackward", "Runs after the backward pass; inspect gradients here.", Notification),
        new("OnBeforeOptimizerStep", "Runs before each optimizer step, after unscaling and before clipping.", "OnBeforeOptimizerStep"),
        new("ConfigureGradientClipping", "Clip gradients before the step; the default applies GradientClipVal and GradientClipAlgorithm.", "ConfigureGradientClipping"),
        new("ClipGradients", "Clip the gradients by norm or value; the default ConfigureGradientClipping calls it.", "ClipGradients"),
        new("OptimizerStep", "Step the optimizer, passing the closure on; override for learning-rate warm-up or other per-step control.", "OptimizerStep"),
        new("OnTrainBatchEnd", "Runs after each training batch with what the step returned.", "OnTrainBatchEnd"),
        new("TrainingEpochEnd", "Lightning 0.x: receive every training step's output of the epoch; return metrics to log.", "EpochEndOutputs", "train"),
        new("OnValidationModelZeroGrad", "Runs before validation inside fit; the default zeroes the gradients.", BaseCall),
        new("OnValidationModelEval", "Put the module in evaluation mode for validation.", BaseCall),
        new("OnValidationStart", "Runs when a validation run begins (also during the sanity check).", Notification),
        new("OnValidationEpochStart", "Runs at the start of each validation epoch.", Notification),
        new("OnValidationBatchStart", "Runs before each validation batch.", "EvaluationBatchStart"),
        new("ValidationStep", "Evaluate one validation batch and log val_loss (and val_acc for classifiers).", "EvaluationStep", "val"),
        new("OnValidationBatchEnd", "Runs after each validation batch.", "EvaluationBatchEnd"),
        new("ValidationEpochEnd", "Lightning 0.x: receive every validation step's output; return metrics to log.", "EpochEndOutputs", "val"),
        new("OnValidationEpochEnd", "Runs at the end of each validation epoch; log epoch-level validation metrics here.", Notification),
        new("OnValidationEnd", "Runs when a validation run ends.", Notification),
        new("OnValidationModelTrain", "Put the module back in training mode after validation.", BaseCall),
        new("LrSchedulerStep", "Step a learning-rate scheduler, with the monitored metric when it needs one.", "LrSchedulerStep"),
        new("OnTrainEpochEnd", "Runs at the end of each training epoch, after its validation; log epoch-level training metrics here.", Notification),
        new("OnTrainEnd", "Runs when the training loop ends.", Notification),
        new("OnFitEnd", "Runs when fit ends.", Notification),
        new("OnTestModelEval", "Put the module in evaluation mode for testing.", BaseCall),
        new("OnTestStart", "Runs when testing begins.", Notification),
        new("OnTestEpochStart", "Runs at the start of the test epoch.", Notification),
        new("OnTestBatchStart", "Runs before each test batch.", "EvaluationBatchStart"),
        new("TestStep", "Evaluate one test batch and log test_loss (and test_acc for classifiers).", "EvaluationStep", "test"),
        new("OnTestBatchEnd", "Runs after each test batch.", "EvaluationBatchEnd"),
        new("TestEpochEnd", "Lightning 0.x: receive every test step's output; return metrics to log.", "EpochEndOutputs", "test"),
        new("OnTestEpochEnd", "Runs at the end of the test epoch; log epoch-level test metrics here.", Notification),
        new("OnTestEnd", "Runs when testing ends.", Notification),
        new("OnTestModelTrain", "Put the module back in training mode after testing.", BaseCall),
        new("OnPredictModelEval", "Put the module in evaluation mode for prediction.", BaseCall),
        new("OnPredictStart", "Runs when prediction begins.", Notification),
        new("OnPredictEpochStart", "Runs at the start of the prediction epoch.", Notification),
        new("OnPredictBatchStart", "Runs before each prediction batch.", "EvaluationBatchStart"),
        new("PredictStep", "Return the prediction for one batch; Trainer.Predict collects them.", "PredictStep"),
        new("OnPredictBatchEnd", "Runs after each prediction batch with its prediction.", "OnPredictBatchEnd"),
        new("OnPredictEpochEnd", "Runs at the end of the prediction epoch.", Notification),
        new("OnPredictEnd", "Runs when prediction ends.", Notification),
        new("OnSaveCheckpoint", "Add your own entries to a checkpoint being saved.", "OnSaveCheckpoint"),
        new("OnLoadCheckpoint", "Read your own entries from a checkpoint being loaded, before the weights are restored.", "OnLoadCheckpoint"),
        new("Teardown", "Release what Setup built; runs at the end of every stage.", "Teardown"),
    ];

    /// <summary>The groups: several hooks, callbacks or a scheduler that together add one feature.</summary>
    public static IReadOnlyList<HookGroup> Groups { get; } =
    [
        new("validation", "Validate every epoch: ValidationStep logging val_loss, ValDataLoader, OnValidationEpochEnd.",
            ["ValidationStep", "ValDataLoader", "OnValidationEpochEnd"], []),
        new("test", "Test after fit (Trainer.Test): TestStep logging test_loss, TestDataLoader, OnTestEpochEnd.",
            ["TestStep", "TestDataLoader", "OnTestEpochEnd"], []),
        new("predict", "Predict (Trainer.Predict): PredictStep and PredictDataLoader.", ["PredictStep", "PredictDataLoader"], []),
        new("lr-scheduler", "Give ConfigureOptimizers a learning-rate scheduler (StepLR, stepped every epoch).", [], [], AddsScheduler: true),
        new("early-stopping", "Stop when val_loss stops improving: EarlyStopping in ConfigureCallbacks.", [], ["EarlyStopping"]),
        new("checkpoint", "Keep the best checkpoint by val_loss: ModelCheckpoint in ConfigureCallbacks.", [], ["ModelCheckpoint"]),
    ];

    /// <summary>The hook with this name in any spelling (C#, Python, kebab case), if there is one.</summary>
    public static HookDefinition? FindHook(string name) =>
        Hooks.FirstOrDefault(h => Spelling.Key(h.Name) == Spelling.Key(name));

    /// <summary>The group with this name in any spelling, if there is one.</summary>
    public static HookGroup? FindGroup(string name) =>
        Groups.FirstOrDefault(g => Spelling.Key(g.Name) == Spelling.Key(name));

    /// <summary>All names a user may type, for suggestions: groups, then hooks in Python spelling.</summary>
    public static IEnumerable<string> AllNames => Groups.Select(g => g.Name).Concat(Hooks.Select(h => h.PythonName));
}
