using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>
/// Saves one checkpoint at a chosen point (a hook name and a condition), notes how much had been logged and
/// trained by then, and stops the run, as if the process had been killed right after saving.
/// </summary>
internal sealed class SaveAndStop(string path, Func<Trainer, string, bool> when, RecordingLogger logger, ResumableModel model) : Checkpoint
{
    public bool Saved { get; private set; }

    public int RowsAtSave { get; private set; }

    public int BatchesAtSave { get; private set; }

    public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx) => Maybe(trainer, "batch");

    public override void OnValidationEnd(Trainer trainer, LightningModule module) => Maybe(trainer, "validation");

    public override void OnTrainEpochEnd(Trainer trainer, LightningModule module) => Maybe(trainer, "epoch");

    private void Maybe(Trainer trainer, string hook)
    {
        if (Saved || trainer.SanityChecking || !when(trainer, hook)) return;
        trainer.SaveCheckpoint(path);
        Saved = true;
        RowsAtSave = logger.Rows.Count;
        BatchesAtSave = model.Seen.Count;
        trainer.ShouldStop = true;
    }
}
