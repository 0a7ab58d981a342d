using TorchSharp;

namespace Lightning;

/// <summary>
/// The one callback of a learning-rate search run (Lightning's <c>_LRCallback</c>): before each optimizer step it
/// records the rate, after it the loss smoothed by an exponential moving average with bias correction, and it stops
/// the run once the smoothed loss exceeds <c>earlyStopThreshold</c> times the best so far.
/// </summary>
internal sealed class LrFinderRecorder(double? earlyStopThreshold, double beta = 0.98) : Callback
{
    private double _average;
    private double _bestLoss;

    public List<double> Lrs { get; } = [];

    public List<double> Losses { get; } = [];

    /// <inheritdoc />
    public override void OnTrainBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx)
    {
        if (!EndsAccumulation(trainer, batchIdx)) return;
        Lrs.Add(trainer.Optimizers[0].ParamGroups.First().LearningRate);
    }

    /// <inheritdoc />
    public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx)
    {
        if (!EndsAccumulation(trainer, batchIdx)) return;
        // A step without a loss still took a rate; NaN keeps the two lists in step and is left out of the suggestion.
        if (outputs.Loss is not { } loss)
        {
            Losses.Add(double.NaN);
            return;
        }
        var step = trainer.GlobalStep;
        _average = beta * _average + (1 - beta) * loss.ToDouble();
        var smoothed = _average / (1 - Math.Pow(beta, step + 1));
        if (earlyStopThreshold is { } threshold && step > 1 && smoothed > threshold * _bestLoss) trainer.ShouldStop = true;
        if (smoothed < _bestLoss || step == 1) _bestLoss = smoothed;
        Losses.Add(smoothed);
    }

    private static bool EndsAccumulation(Trainer trainer, int batchIdx) => (batchIdx + 1) % trainer.AccumulateGradBatches == 0;
}
