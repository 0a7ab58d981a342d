using Lightning.Hooks;
using TorchSharp;

namespace Lightning.Loops;

/// <summary>
/// The start and end every loop's batch shares (training, validation and test, prediction): the interruption check,
/// the batch's index where <see cref="Trainer.BatchIdx"/> reads it, the dispose scope the batch's work runs in, the
/// batch moved by the transfer hooks, and that batch as the one <c>Log</c> guesses sizes from until the batch ends.
/// A struct disposed by <c>using</c>, so a batch allocates nothing for it.
/// </summary>
internal readonly struct BatchScope<TBatch> : IDisposable
{
    private readonly Trainer _trainer;
    private readonly DisposeScope _scope;

    private BatchScope(Trainer trainer, DisposeScope scope, TBatch batch)
    {
        _trainer = trainer;
        _scope = scope;
        Batch = batch;
    }

    /// <summary>The batch on the device, as the transfer hooks returned it; its tensors live until <see cref="Dispose"/>.</summary>
    public TBatch Batch { get; }

    /// <summary>Starts batch <paramref name="batchIdx"/> of loader <paramref name="dataloaderIdx"/>; the loops call it before each batch.</summary>
    /// <exception cref="OperationCanceledException">The run was cancelled or signalled: it ends at this batch boundary.</exception>
    public static BatchScope<TBatch> Open(Trainer trainer, LightningModule<TBatch> module, TBatch batch, int batchIdx, int dataloaderIdx)
    {
        trainer.ThrowIfInterrupted();
        // Training's index is part of the fit's position; the evaluation loops' is not.
        if (trainer.Training) trainer.Progress.StartBatch(batchIdx);
        else trainer.EvaluationBatchIdx = batchIdx;
        var scope = torch.NewDisposeScope();
        try
        {
            var onDevice = Transfer(trainer, module, batch, dataloaderIdx);
            trainer.Logging.CurrentBatch = onDevice;
            return new BatchScope<TBatch>(trainer, scope, onDevice);
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }

    /// <summary>Ends the batch: <c>Log</c> no longer sizes by it, and the tensors its work made and did not move out are freed.</summary>
    public void Dispose()
    {
        _trainer.Logging.CurrentBatch = null;
        _scope.Dispose();
    }

    /// <summary>The batch-transfer hooks in Lightning's order: before transfer, transfer to the device, after transfer; then the precision's input conversion.</summary>
    private static TBatch Transfer(Trainer trainer, LightningModule<TBatch> module, TBatch batch, int dataloaderIdx)
    {
        batch = trainer.Hooks.Run(HookNames.OnBeforeBatchTransfer, () => module.OnBeforeBatchTransfer(batch, dataloaderIdx));
        batch = trainer.Hooks.Run(HookNames.TransferBatchToDevice, () => module.TransferBatchToDevice(batch, trainer.RootDevice, dataloaderIdx));
        batch = trainer.Hooks.Run(HookNames.OnAfterBatchTransfer, () => module.OnAfterBatchTransfer(batch, dataloaderIdx));
        return trainer.Precision.ConvertInput(batch);
    }
}
