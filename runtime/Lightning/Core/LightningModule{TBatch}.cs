using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// Your research code, organised the way PyTorch Lightning organises it. <typeparamref name="TBatch"/> is what
/// the data loaders yield, for example <c>(Tensor X, Tensor Y)</c>. Define the layers in the constructor (and
/// call <c>RegisterComponents()</c>), write <c>forward</c> as with any TorchSharp module, and override the
/// steps and hooks you need; the <see cref="Trainer"/> does the rest.
/// </summary>
public abstract class LightningModule<TBatch> : LightningModule
{
    /// <summary>Creates the module; <paramref name="name"/> defaults to the class name.</summary>
    protected LightningModule(string? name = null) : base(name)
    {
    }

    // ----- data hooks ----------------------------------------------------------------------------------------

    /// <summary>The training batches; not needed when a data module or the trainer supplies them.</summary>
    public virtual IEnumerable<TBatch>? TrainDataLoader() => null;

    /// <summary>The validation batches; validation runs only when these exist and <c>ValidationStep</c> is overridden.</summary>
    public virtual IEnumerable<TBatch>? ValDataLoader() => null;

    /// <summary>The test batches.</summary>
    public virtual IEnumerable<TBatch>? TestDataLoader() => null;

    /// <summary>
    /// Several validation loaders, run in turn, each with its <c>dataloaderIdx</c> (Lightning's list from
    /// <c>val_dataloader</c>; logged names get <c>/dataloader_idx_N</c>). The default is <see cref="ValDataLoader"/> alone.
    /// </summary>
    public virtual IReadOnlyList<IEnumerable<TBatch>>? ValDataLoaders() => ValDataLoader() is { } loader ? [loader] : null;

    /// <summary>Several test loaders, as <see cref="ValDataLoaders"/>; the default is <see cref="TestDataLoader"/> alone.</summary>
    public virtual IReadOnlyList<IEnumerable<TBatch>>? TestDataLoaders() => TestDataLoader() is { } loader ? [loader] : null;

    /// <summary>The batches to predict on.</summary>
    public virtual IEnumerable<TBatch>? PredictDataLoader() => null;

    /// <summary>Changes a batch before it moves to the device (runs on the loader's device, usually the CPU).</summary>
    public virtual TBatch OnBeforeBatchTransfer(TBatch batch, int dataloaderIdx) => batch;

    /// <summary>
    /// Moves a batch to <paramref name="device"/>. The default moves tensors and tuples, lists, arrays and
    /// dictionaries of tensors; override for batch types holding tensors elsewhere.
    /// </summary>
    public virtual TBatch TransferBatchToDevice(TBatch batch, Device device, int dataloaderIdx) => BatchTransfer.To(batch, device);

    /// <summary>Changes a batch after it reached the device (augmentation on the GPU, say).</summary>
    public virtual TBatch OnAfterBatchTransfer(TBatch batch, int dataloaderIdx) => batch;

    // ----- steps ---------------------------------------------------------------------------------------------

    /// <summary>
    /// Computes and returns the training loss for one batch (a <see cref="Tensor"/> converts to <see cref="StepOutput"/>).
    /// Return null to skip the batch (no backward, no optimizer step), as Lightning's <c>None</c>. With manual
    /// optimization, do the optimizer work here too.
    /// </summary>
    public virtual StepOutput? TrainingStep(TBatch batch, int batchIdx) =>
        throw new NotImplementedException(
            $"{GetType().Name} does not override TrainingStep(batch, batchIdx), which Trainer.Fit needs: return the loss of the batch.");

    /// <summary>Evaluates one validation batch; log metrics with <c>Log</c>, or return them for <c>ValidationEpochEnd</c>.</summary>
    public virtual StepOutput? ValidationStep(TBatch batch, int batchIdx) => null;

    /// <summary>Evaluates one batch of validation loader <paramref name="dataloaderIdx"/>; the default calls the two-argument overload.</summary>
    public virtual StepOutput? ValidationStep(TBatch batch, int batchIdx, int dataloaderIdx) => ValidationStep(batch, batchIdx);

    /// <summary>Evaluates one test batch; log metrics with <c>Log</c>.</summary>
    public virtual StepOutput? TestStep(TBatch batch, int batchIdx) => null;

    /// <summary>Evaluates one batch of test loader <paramref name="dataloaderIdx"/>; the default calls the two-argument overload.</summary>
    public virtual StepOutput? TestStep(TBatch batch, int batchIdx, int dataloaderIdx) => TestStep(batch, batchIdx);

    /// <summary>Returns the prediction for one batch; <c>Trainer.Predict</c> collects them.</summary>
    public virtual Tensor PredictStep(TBatch batch, int batchIdx) =>
        throw new NotImplementedException(
            $"{GetType().Name} does not override PredictStep(batch, batchIdx), which Trainer.Predict needs: return the prediction for the batch.");

    /// <summary>Returns the prediction for one batch of loader <paramref name="dataloaderIdx"/>; the default calls the two-argument overload.</summary>
    public virtual Tensor PredictStep(TBatch batch, int batchIdx, int dataloaderIdx) => PredictStep(batch, batchIdx);

    // ----- 0.x epoch-end hooks ---------------------------------------------------------------------------------

    /// <summary>
    /// Lightning 0.x: receives every training step's output of the epoch (detached). Whatever the returned
    /// output's <c>Log</c> and <c>ProgressBar</c> hold is logged. Outputs are kept only when this is overridden.
    /// </summary>
    public virtual StepOutput? TrainingEpochEnd(IReadOnlyList<StepOutput> outputs) => null;

    /// <summary>Lightning 0.x: receives every validation step's output of the run; return metrics to log.</summary>
    public virtual StepOutput? ValidationEpochEnd(IReadOnlyList<StepOutput> outputs) => null;

    /// <summary>Lightning 0.x: receives every test step's output; return metrics to log.</summary>
    public virtual StepOutput? TestEpochEnd(IReadOnlyList<StepOutput> outputs) => null;

    // ----- batch hooks -----------------------------------------------------------------------------------------

    /// <summary>Called before each training batch.</summary>
    public virtual void OnTrainBatchStart(TBatch batch, int batchIdx) { }

    /// <summary>Called after each training batch with what the step returned.</summary>
    public virtual void OnTrainBatchEnd(StepOutput outputs, TBatch batch, int batchIdx) { }

    /// <summary>Called before each validation batch.</summary>
    public virtual void OnValidationBatchStart(TBatch batch, int batchIdx, int dataloaderIdx) { }

    /// <summary>Called after each validation batch.</summary>
    public virtual void OnValidationBatchEnd(StepOutput? outputs, TBatch batch, int batchIdx, int dataloaderIdx) { }

    /// <summary>Called before each test batch.</summary>
    public virtual void OnTestBatchStart(TBatch batch, int batchIdx, int dataloaderIdx) { }

    /// <summary>Called after each test batch.</summary>
    public virtual void OnTestBatchEnd(StepOutput? outputs, TBatch batch, int batchIdx, int dataloaderIdx) { }

    /// <summary>Called before each prediction batch.</summary>
    public virtual void OnPredictBatchStart(TBatch batch, int batchIdx, int dataloaderIdx) { }

    /// <summary>Called after each prediction batch with its prediction.</summary>
    public virtual void OnPredictBatchEnd(Tensor outputs, TBatch batch, int batchIdx, int dataloaderIdx) { }
}
