namespace Lightning.Loops;

/// <summary>
/// How many batches of a loader a stage runs, after <c>Limit*Batches</c>, <c>OverfitBatches</c> and <c>FastDevRun</c>,
/// and the validation schedule in force: the one place that knows what <c>FastDevRun</c> overrides (beside
/// <see cref="Trainer.MaxEpochs"/> and <see cref="Trainer.MaxSteps"/>).
/// </summary>
internal static class Limits
{
    /// <summary>The optimizer steps the running fit will take (<see cref="Trainer.EstimatedSteppingBatches"/>).</summary>
    /// <exception cref="InvalidOperationException">No fit is running.</exception>
    public static double SteppingBatches(Trainer t)
    {
        if (t.MaxEpochs == -1) return t.MaxSteps == -1 ? double.PositiveInfinity : t.MaxSteps;
        var perEpoch = (t.TrainBatchesPerEpoch ?? throw new InvalidOperationException(
            "Trainer.EstimatedSteppingBatches is known during Fit: read it in ConfigureOptimizers or a later hook."))();
        if (perEpoch is not { } batches) return t.MaxSteps == -1 ? double.PositiveInfinity : t.MaxSteps;
        var steps = (double)((batches + t.AccumulateGradBatches - 1) / t.AccumulateGradBatches) * Math.Max(t.MaxEpochs, 1);
        return t.MaxSteps == -1 ? steps : Math.Min(steps, t.MaxSteps);
    }

    /// <summary>Training batches per epoch, or null for a loader of unknown length that no limit bounds.</summary>
    public static int? Train(Trainer t, int? length)
    {
        var limit = Resolve(t, t.Options.LimitTrainBatches, length, overfit: true);
        return length is null && limit == int.MaxValue ? null : Math.Min(limit, length ?? limit);
    }

    public static int Val<T>(Trainer t, IEnumerable<T> loader) => Resolve(t, t.Options.LimitValBatches, BatchCounter.Count(loader), overfit: true);

    public static int Test<T>(Trainer t, IEnumerable<T> loader) => Resolve(t, t.Options.LimitTestBatches, BatchCounter.Count(loader), overfit: false);

    public static int Predict<T>(Trainer t, IEnumerable<T> loader) => Resolve(t, t.Options.LimitPredictBatches, BatchCounter.Count(loader), overfit: false);

    /// <summary>Whether <c>LimitValBatches = 0</c> turns validation off: no hooks run and no loader is asked for, as in Lightning.</summary>
    public static bool ValOff(Trainer t) => !t.FastDev && !Overfitting(t) && t.Options.LimitValBatches.IsZero;

    /// <summary>Whether <c>LimitTestBatches = 0</c> turns testing off.</summary>
    public static bool TestOff(Trainer t) => !t.FastDev && t.Options.LimitTestBatches.IsZero;

    /// <summary>Validation every this many epochs, or null to count the validation interval across epochs; every epoch under fast-dev-run.</summary>
    public static int? ValEveryNEpochs(Trainer t) => t.FastDev ? 1 : t.Options.CheckValEveryNEpoch;

    /// <summary>The validation interval in training batches or a fraction of the epoch; the epoch's end under fast-dev-run.</summary>
    public static CountOrFraction ValInterval(Trainer t) => t.FastDev ? CountOrFraction.All : t.Options.ValCheckInterval;

    /// <summary>Batches of each validation loader the sanity check runs (-1: all); none under fast-dev-run.</summary>
    public static int SanitySteps(Trainer t) => t.FastDev ? 0 : t.Options.NumSanityValSteps;

    /// <summary>Whether <c>OverfitBatches</c> is on.</summary>
    public static bool Overfitting(Trainer t) => t.Options.OverfitBatches.Count is > 0 || t.Options.OverfitBatches.Fraction is > 0;

    private static int Resolve(Trainer t, CountOrFraction limit, int? length, bool overfit)
    {
        if (t.FastDev) return length is { } n ? Math.Min(n, t.Options.FastDevRun.Batches) : t.Options.FastDevRun.Batches;
        if (overfit && Overfitting(t)) limit = t.Options.OverfitBatches;
        return limit.Resolve(length);
    }
}
