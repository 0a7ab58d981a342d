namespace Lightning.Loops;

/// <summary>The batch-transfer hooks in Lightning's order: before transfer, transfer to the device, after transfer.</summary>
internal static class BatchHooks
{
    public static TBatch Transfer<TBatch>(Trainer trainer, LightningModule<TBatch> module, TBatch batch, int dataloaderIdx)
    {
        trainer.CurrentHook = "OnBeforeBatchTransfer";
        batch = module.OnBeforeBatchTransfer(batch, dataloaderIdx);
        trainer.CurrentHook = "TransferBatchToDevice";
        batch = module.TransferBatchToDevice(batch, trainer.RootDevice, dataloaderIdx);
        trainer.CurrentHook = "OnAfterBatchTransfer";
        batch = module.OnAfterBatchTransfer(batch, dataloaderIdx);
        return trainer.Precision.ConvertInput(batch);
    }
}
