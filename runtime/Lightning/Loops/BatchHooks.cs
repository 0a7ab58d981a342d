using Lightning.Hooks;

namespace Lightning.Loops;

/// <summary>The batch-transfer hooks in Lightning's order: before transfer, transfer to the device, after transfer.</summary>
internal static class BatchHooks
{
    public static TBatch Transfer<TBatch>(Trainer trainer, LightningModule<TBatch> module, TBatch batch, int dataloaderIdx)
    {
        batch = trainer.Hooks.Run(HookNames.OnBeforeBatchTransfer, () => module.OnBeforeBatchTransfer(batch, dataloaderIdx));
        batch = trainer.Hooks.Run(HookNames.TransferBatchToDevice, () => module.TransferBatchToDevice(batch, trainer.RootDevice, dataloaderIdx));
        batch = trainer.Hooks.Run(HookNames.OnAfterBatchTransfer, () => module.OnAfterBatchTransfer(batch, dataloaderIdx));
        return trainer.Precision.ConvertInput(batch);
    }
}
