namespace Lightning;

/// <summary>
/// Changes gradient accumulation by epoch (Lightning's <c>GradientAccumulationScheduler</c>):
/// <c>new GradientAccumulationScheduler(new Dictionary&lt;int, int&gt; { [4] = 2 })</c> accumulates two batches
/// per step from the fifth epoch (epochs count from 0). Epochs before the first key accumulate nothing.
/// </summary>
public sealed class GradientAccumulationScheduler : Callback
{
    private readonly SortedDictionary<int, int> _scheduling;

    /// <summary>Creates the scheduler from <c>{epoch: batches to accumulate}</c>.</summary>
    /// <exception cref="ArgumentException">An empty schedule, a negative epoch or a factor below 1.</exception>
    public GradientAccumulationScheduler(IReadOnlyDictionary<int, int> scheduling)
    {
        ArgumentNullException.ThrowIfNull(scheduling);
        if (scheduling.Count == 0) throw new ArgumentException("The schedule is empty; give at least one {epoch: factor} entry.", nameof(scheduling));
        foreach (var (epoch, factor) in scheduling)
        {
            if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(scheduling), epoch, "Epochs count from 0; a schedule key cannot be negative.");
            if (factor < 1) throw new ArgumentOutOfRangeException(nameof(scheduling), factor, $"The accumulation factor for epoch {epoch} must be at least 1.");
        }
        _scheduling = new SortedDictionary<int, int>(scheduling.ToDictionary(e => e.Key, e => e.Value));
        _scheduling.TryAdd(0, 1);
    }

    /// <summary>The schedule, with epoch 0 included.</summary>
    public IReadOnlyDictionary<int, int> Scheduling => _scheduling;

    /// <summary>The accumulation factor in force at <paramref name="epoch"/>.</summary>
    public int GetAccumulateGradBatches(int epoch) => _scheduling.Last(e => e.Key <= epoch).Value;

    /// <inheritdoc />
    public override void OnTrainStart(Trainer trainer, LightningModule module)
    {
        if (!module.AutomaticOptimization)
            throw new InvalidOperationException(
                "GradientAccumulationScheduler needs automatic optimization; with AutomaticOptimization = false accumulate in TrainingStep, or remove the callback.");
        if (trainer.Options.AccumulateGradBatches != 1)
            throw new InvalidOperationException(
                $"TrainerOptions.AccumulateGradBatches is {trainer.Options.AccumulateGradBatches} and a GradientAccumulationScheduler is given; use one of them.");
    }

    /// <inheritdoc />
    public override void OnTrainEpochStart(Trainer trainer, LightningModule module) =>
        trainer.Progress.Accumulate(GetAccumulateGradBatches(trainer.CurrentEpoch));
}
