namespace Lightning.Loops;

/// <summary>How many batches of a loader a stage runs, after <c>Limit*Batches</c>, <c>OverfitBatches</c> and <c>FastDevRun</c>.</summary>
internal static class Limits
{
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

    /// <summary>Whether <c>OverfitBatches</c> is on.</summary>
    public static bool Overfitting(Trainer t) => t.Options.OverfitBatches.Count is > 0 || t.Options.OverfitBatches.Fraction is > 0;

    private static int Resolve(Trainer t, CountOrFraction limit, int? length, bool overfit)
    {
        if (t.FastDev) return length is { } n ? Math.Min(n, t.Options.FastDevRun.Batches) : t.Options.FastDevRun.Batches;
        if (overfit && Overfitting(t)) limit = t.Options.OverfitBatches;
        return limit.Resolve(length);
    }
}
