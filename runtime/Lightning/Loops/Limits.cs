namespace Lightning.Loops;

/// <summary>How many batches of a loader a stage runs, after <c>Limit*Batches</c>, <c>OverfitBatches</c> and <c>FastDevRun</c>.</summary>
internal static class Limits
{
    public static int Train(Trainer t, int? length) => Resolve(t, t.Options.LimitTrainBatches, length, overfit: true);

    public static int Val<T>(Trainer t, IEnumerable<T> loader) => Resolve(t, t.Options.LimitValBatches, BatchCounter.Count(loader), overfit: true);

    public static int Test<T>(Trainer t, IEnumerable<T> loader) => Resolve(t, t.Options.LimitTestBatches, BatchCounter.Count(loader), overfit: false);

    public static int Predict<T>(Trainer t, IEnumerable<T> loader) => Resolve(t, t.Options.LimitPredictBatches, BatchCounter.Count(loader), overfit: false);

    private static int Resolve(Trainer t, CountOrFraction limit, int? length, bool overfit)
    {
        if (t.FastDev) return length is { } n ? Math.Min(n, t.Options.FastDevRun.Batches) : t.Options.FastDevRun.Batches;
        var overfitBatches = t.Options.OverfitBatches;
        if (overfit && (overfitBatches.Count is > 0 || overfitBatches.Fraction is > 0)) limit = overfitBatches;
        return limit.Resolve(length);
    }
}
