using Lightning.Bench.Measurement;

namespace Lightning.Bench.Models;

/// <summary>Feeds the trainer's global step to an <see cref="RssSampler"/> after each training batch.</summary>
internal sealed class RssCallback(RssSampler sampler) : Callback
{
    public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx) =>
        sampler.AfterStep(trainer.GlobalStep);
}
