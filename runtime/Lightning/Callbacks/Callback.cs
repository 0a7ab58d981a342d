using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning;

/// <summary>
/// A self-contained addition to training (Lightning's <c>Callback</c>). Override the hooks you need; the
/// trainer calls each callback's hook before the module's hook of the same name. Batches are passed as
/// <see cref="object"/> because callbacks work with any module.
/// </summary>
public abstract class Callback
{
    /// <summary>
    /// The key this callback's state is saved under in a checkpoint; callbacks of the same type with
    /// different settings must differ here (Lightning's <c>state_key</c>). Default: the type's name.
    /// </summary>
    public virtual string StateKey => GetType().Name;

    /// <summary>
    /// Whether this callback reacts to logged metrics (checkpointing, early stopping). Such callbacks run after
    /// the others and after the module's epoch-end hooks, so they see the metrics logged there.
    /// </summary>
    protected internal virtual bool MonitorsMetrics => false;

    /// <summary>Called when fit, validate, test or predict begins, before the module's <c>Setup</c>.</summary>
    public virtual void Setup(Trainer trainer, LightningModule module, Stage stage) { }

    /// <summary>Called when fit, validate, test or predict ends.</summary>
    public virtual void Teardown(Trainer trainer, LightningModule module, Stage stage) { }

    /// <summary>Called when fit begins.</summary>
    public virtual void OnFitStart(Trainer trainer, LightningModule module) { }

    /// <summary>Called when fit ends.</summary>
    public virtual void OnFitEnd(Trainer trainer, LightningModule module) { }

    /// <summary>Called before the sanity-check validation runs.</summary>
    public virtual void OnSanityCheckStart(Trainer trainer, LightningModule module) { }

    /// <summary>Called after the sanity-check validation.</summary>
    public virtual void OnSanityCheckEnd(Trainer trainer, LightningModule module) { }

    /// <summary>Called when the training loop begins.</summary>
    public virtual void OnTrainStart(Trainer trainer, LightningModule module) { }

    /// <summary>Called when the training loop ends.</summary>
    public virtual void OnTrainEnd(Trainer trainer, LightningModule module) { }

    /// <summary>Called at the start of each training epoch.</summary>
    public virtual void OnTrainEpochStart(Trainer trainer, LightningModule module) { }

    /// <summary>Called at the end of each training epoch, after its validation run.</summary>
    public virtual void OnTrainEpochEnd(Trainer trainer, LightningModule module) { }

    /// <summary>Called before each training batch.</summary>
    public virtual void OnTrainBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx) { }

    /// <summary>Called after each training batch with what the step returned.</summary>
    public virtual void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx) { }

    /// <summary>Called when a validation run begins (also during the sanity check).</summary>
    public virtual void OnValidationStart(Trainer trainer, LightningModule module) { }

    /// <summary>Called when a validation run ends.</summary>
    public virtual void OnValidationEnd(Trainer trainer, LightningModule module) { }

    /// <summary>Called at the start of each validation epoch.</summary>
    public virtual void OnValidationEpochStart(Trainer trainer, LightningModule module) { }

    /// <summary>Called at the end of each validation epoch, when its metrics are ready.</summary>
    public virtual void OnValidationEpochEnd(Trainer trainer, LightningModule module) { }

    /// <summary>Called before each validation batch.</summary>
    public virtual void OnValidationBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx, int dataloaderIdx) { }

    /// <summary>Called after each validation batch.</summary>
    public virtual void OnValidationBatchEnd(Trainer trainer, LightningModule module, StepOutput? outputs, object batch, int batchIdx, int dataloaderIdx) { }

    /// <summary>Called when testing begins.</summary>
    public virtual void OnTestStart(Trainer trainer, LightningModule module) { }

    /// <summary>Called when testing ends.</summary>
    public virtual void OnTestEnd(Trainer trainer, LightningModule module) { }

    /// <summary>Called at the start of the test epoch.</summary>
    public virtual void OnTestEpochStart(Trainer trainer, LightningModule module) { }

    /// <summary>Called at the end of the test epoch.</summary>
    public virtual void OnTestEpochEnd(Trainer trainer, LightningModule module) { }

    /// <summary>Called before each test batch.</summary>
    public virtual void OnTestBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx, int dataloaderIdx) { }

    /// <summary>Called after each test batch.</summary>
    public virtual void OnTestBatchEnd(Trainer trainer, LightningModule module, StepOutput? outputs, object batch, int batchIdx, int dataloaderIdx) { }

    /// <summary>Called when prediction begins.</summary>
    public virtual void OnPredictStart(Trainer trainer, LightningModule module) { }

    /// <summary>Called when prediction ends.</summary>
    public virtual void OnPredictEnd(Trainer trainer, LightningModule module) { }

    /// <summary>Called at the start of the prediction epoch.</summary>
    public virtual void OnPredictEpochStart(Trainer trainer, LightningModule module) { }

    /// <summary>Called at the end of the prediction epoch.</summary>
    public virtual void OnPredictEpochEnd(Trainer trainer, LightningModule module) { }

    /// <summary>Called before each prediction batch.</summary>
    public virtual void OnPredictBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx, int dataloaderIdx) { }

    /// <summary>Called after each prediction batch with its prediction.</summary>
    public virtual void OnPredictBatchEnd(Trainer trainer, LightningModule module, Tensor outputs, object batch, int batchIdx, int dataloaderIdx) { }

    /// <summary>Called before <c>loss.backward()</c>.</summary>
    public virtual void OnBeforeBackward(Trainer trainer, LightningModule module, Tensor loss) { }

    /// <summary>Called after the backward pass, before the optimizer step.</summary>
    public virtual void OnAfterBackward(Trainer trainer, LightningModule module) { }

    /// <summary>Called before the optimizer steps, after gradients were unscaled and before they are clipped.</summary>
    public virtual void OnBeforeOptimizerStep(Trainer trainer, LightningModule module, Optimizer optimizer) { }

    /// <summary>Called before the optimizer's gradients are zeroed.</summary>
    public virtual void OnBeforeZeroGrad(Trainer trainer, LightningModule module, Optimizer optimizer) { }

    /// <summary>Called when any hook or step throws; the exception is rethrown after all callbacks ran.</summary>
    public virtual void OnException(Trainer trainer, LightningModule module, Exception exception) { }

    /// <summary>Called when a checkpoint is being saved; add entries to <paramref name="checkpoint"/> if needed.</summary>
    public virtual void OnSaveCheckpoint(Trainer trainer, LightningModule module, IDictionary<string, object?> checkpoint) { }

    /// <summary>Called when a checkpoint is being loaded, before the state is restored.</summary>
    public virtual void OnLoadCheckpoint(Trainer trainer, LightningModule module, IReadOnlyDictionary<string, object?> checkpoint) { }

    /// <summary>This callback's state for a checkpoint: strings, numbers, booleans, lists and dictionaries of them.</summary>
    public virtual IDictionary<string, object?> StateDict() => new Dictionary<string, object?>();

    /// <summary>Restores state saved by <see cref="StateDict"/>.</summary>
    public virtual void LoadStateDict(IReadOnlyDictionary<string, object?> state) { }
}
