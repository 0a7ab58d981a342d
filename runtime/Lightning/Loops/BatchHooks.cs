using Lightning.Hooks;

namespace Lightning.Loops;

/// <summary>The batch-transfer hooks in Lightning's order: before transfer, transfer to the device, after transfer.</summary>
internal static class BatchHooks
{
    public static TBatch Transfer<TBatch>(Trainer trainer, LightningModule<TBatch> module, TBatch batch, int dataloaderIdx)
    {
        trainer.CurrentHook = HookNames.OnBeforeBatchTransfer;
        batch = module.OnBeforeBatchTransfer(batch, dataloaderIdx);
        trainer.CurrentHook = HookNames.TransferBatchToDevice;
        batch = module.TransferBatchToDevice(batch, trainer.RootDevice, dataloaderIdx);
        trainer.CurrentHook = HookNames.OnAfterBatchTransfer;
        batch = module.OnAfterBatchTransfer(batch, dataloaderIdx);
        return trainer.Precision.ConvertInput(batch);
    }
}
