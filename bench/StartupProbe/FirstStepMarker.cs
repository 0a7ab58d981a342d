using Lightning;

namespace StartupProbe;

/// <summary>Marks the end of the first optimizer step and stops training there.</summary>
internal sealed class FirstStepMarker : Callback
{
    public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx)
    {
        if (trainer.GlobalStep != 1) return;
        Phases.Mark("first-step");
        trainer.ShouldStop = true;
    }
}
