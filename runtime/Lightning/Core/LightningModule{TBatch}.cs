using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// Your research code, organised the way PyTorch Lightning organises it. <typeparamref name="TBatch"/> is what
/// the data loaders yield, for example <c>(Tensor X, Tensor Y)</c>. Define the layers in the constructor (and
/// call <c>RegisterComponents()</c>), write <c>forward</c> as with any TorchSharp module, and override the
/// steps and hooks you need; the <see cref="Trainer"/> does the rest.
/// The hooks with nothing to do by default are generated from <c>Core/Hooks/HookDeclarations.cs</c>.
/// </summary>
public abstract partial class LightningModule<TBatch> : LightningModule
{
    /// <summary>Creates the module; <paramref name="name"/> defaults to the class name.</summary>
    protected LightningModule(string? name = null) : base(name)
    {
    }

    // ----- data hooks ----------------------------------------------------------------------------------------

    /// <summary>
    /// Several validation loaders, run in turn, each with its <c>dataloaderIdx</c> (Lightning's list from
    /// <c>val_dataloader</c>; logged names get <c>/dataloader_idx_N</c>). The default is <see cref="ValDataLoader"/> alone.
    /// </summary>
    public virtual IReadOnlyList<IEnumerable<TBatch>>? ValDataLoaders() => ValDataLoader() is { } loader ? [loader] : null;

    /// <summary>Several test loaders, as <see cref="ValDataLoaders"/>; the default is <see cref="TestDataLoader"/> alone.</summary>
    public virtual IReadOnlyList<IEnumerable<TBatch>>? TestDataLoaders() => TestDataLoader() is { } loader ? [loader] : null;

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

    /// <summary>Evaluates one batch of validation loader <paramref name="dataloaderIdx"/>; the default calls the two-argument overload.</summary>
    public virtual StepOutput? ValidationStep(TBatch batch, int batchIdx, int dataloaderIdx) => ValidationStep(batch, batchIdx);

    /// <summary>Evaluates one batch of test loader <paramref name="dataloaderIdx"/>; the default calls the two-argument overload.</summary>
    public virtual StepOutput? TestStep(TBatch batch, int batchIdx, int dataloaderIdx) => TestStep(batch, batchIdx);

    /// <summary>Returns the prediction for one batch; <c>Trainer.Predict</c> collects them.</summary>
    public virtual Tensor PredictStep(TBatch batch, int batchIdx) =>
        throw new NotImplementedException(
            $"{GetType().Name} does not override PredictStep(batch, batchIdx), which Trainer.Predict needs: return the prediction for the batch.");

    /// <summary>Returns the prediction for one batch of loader <paramref name="dataloaderIdx"/>; the default calls the two-argument overload.</summary>
    public virtual Tensor PredictStep(TBatch batch, int batchIdx, int dataloaderIdx) => PredictStep(batch, batchIdx);

    // ----- batch hooks -----------------------------------------------------------------------------------------

    /// <summary>
    /// Called before each training batch. Return -1 to skip this batch and the rest of the epoch (Lightning's
    /// <c>return -1</c>); the next epoch runs as usual. Any other value, such as the default 0, trains the batch.
    /// </summary>
    public virtual int OnTrainBatchStart(TBatch batch, int batchIdx) => 0;
}
