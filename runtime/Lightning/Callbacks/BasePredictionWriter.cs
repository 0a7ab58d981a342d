using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// The base of callbacks that write predictions somewhere (Lightning's <c>BasePredictionWriter</c>): derive from it and
/// override <see cref="WriteOnBatchEnd"/>, <see cref="WriteOnEpochEnd"/> or both, as <see cref="Interval"/> needs.
/// For <see cref="WriteOnEpochEnd"/> the writer keeps a detached copy of every prediction, per loader, until the
/// epoch ends; with <see cref="PredictionWriteInterval.Batch"/> it keeps none, so predictions larger than memory can
/// be written as they come.
/// </summary>
public abstract class BasePredictionWriter : Callback
{
    private readonly List<List<Tensor>> _predictions = [];

    /// <summary>Creates the writer.</summary>
    protected BasePredictionWriter(PredictionWriteInterval interval = PredictionWriteInterval.Batch) => Interval = interval;

    /// <summary>When this writer writes.</summary>
    public PredictionWriteInterval Interval { get; }

    private bool OnBatch => Interval is PredictionWriteInterval.Batch or PredictionWriteInterval.BatchAndEpoch;

    private bool OnEpoch => Interval is PredictionWriteInterval.Epoch or PredictionWriteInterval.BatchAndEpoch;

    /// <summary>Writes one batch's <paramref name="prediction"/>; called after each prediction batch when <see cref="Interval"/> includes batches.</summary>
    public virtual void WriteOnBatchEnd(Trainer trainer, LightningModule module, Tensor prediction, object batch, int batchIdx, int dataloaderIdx) =>
        throw new NotImplementedException($"{GetType().Name} writes per batch (Interval {Interval}) but does not override WriteOnBatchEnd.");

    /// <summary>
    /// Writes every prediction of the epoch, one list per loader in batch order; called at the end of the prediction
    /// epoch when <see cref="Interval"/> includes epochs. The tensors are freed after this returns.
    /// </summary>
    public virtual void WriteOnEpochEnd(Trainer trainer, LightningModule module, IReadOnlyList<IReadOnlyList<Tensor>> predictions) =>
        throw new NotImplementedException($"{GetType().Name} writes per epoch (Interval {Interval}) but does not override WriteOnEpochEnd.");

    /// <inheritdoc />
    public override void OnPredictEpochStart(Trainer trainer, LightningModule module) => Clear();

    /// <inheritdoc />
    public override void OnPredictBatchEnd(Trainer trainer, LightningModule module, Tensor outputs, object batch, int batchIdx, int dataloaderIdx)
    {
        if (OnBatch) WriteOnBatchEnd(trainer, module, outputs, batch, batchIdx, dataloaderIdx);
        if (!OnEpoch) return;
        while (_predictions.Count <= dataloaderIdx) _predictions.Add([]);
        // The batch's tensors are freed with its dispose scope; the epoch's list outlives it.
        _predictions[dataloaderIdx].Add(outputs.detach().clone().DetachFromDisposeScope());
    }

    /// <inheritdoc />
    public override void OnPredictEpochEnd(Trainer trainer, LightningModule module)
    {
        if (!OnEpoch) return;
        try
        {
            WriteOnEpochEnd(trainer, module, _predictions);
        }
        finally
        {
            Clear();
        }
    }

    private void Clear()
    {
        foreach (var tensor in _predictions.SelectMany(p => p)) tensor.Dispose();
        _predictions.Clear();
    }
}
