using System.Globalization;
using System.Text;
using Lightning.IO;

namespace Lightning;

/// <summary>
/// The result of a learning-rate range test (Lightning's <c>_LRFinder</c>): the learning rate of each training step
/// and the smoothed loss it gave, and the suggested rate, where the loss fell fastest.
/// </summary>
public sealed class LrFinder
{
    internal LrFinder(LrFindMode mode, double minLr, double maxLr, int numTraining, IReadOnlyList<double> lrs, IReadOnlyList<double> losses)
    {
        Mode = mode;
        MinLr = minLr;
        MaxLr = maxLr;
        NumTraining = numTraining;
        Lrs = lrs;
        Losses = losses;
    }

    /// <summary>How the rate was raised.</summary>
    public LrFindMode Mode { get; }

    /// <summary>The rate of the first step.</summary>
    public double MinLr { get; }

    /// <summary>The rate the last step would reach.</summary>
    public double MaxLr { get; }

    /// <summary>The steps asked for; fewer ran when the loss diverged.</summary>
    public int NumTraining { get; }

    /// <summary>The learning rate of each step (Lightning's <c>results["lr"]</c>).</summary>
    public IReadOnlyList<double> Lrs { get; }

    /// <summary>The smoothed training loss after each step (Lightning's <c>results["loss"]</c>); NaN where a step returned no loss.</summary>
    public IReadOnlyList<double> Losses { get; }

    /// <summary>The index in <see cref="Lrs"/> of the last suggestion, or null when none could be made.</summary>
    public int? OptimalIndex { get; private set; }

    /// <summary>
    /// The suggested learning rate, as Lightning computes it: leaving out the first <paramref name="skipBegin"/> and the
    /// last <paramref name="skipEnd"/> steps and the non-finite losses, the rate where the loss's gradient with respect to
    /// the rate (central differences over the uneven rate spacing, as <c>torch.gradient</c>) is most negative. Null, with
    /// a warning, when fewer than two points are left (stop later: a larger <c>numTraining</c> or <c>earlyStopThreshold</c>).
    /// </summary>
    public double? Suggestion(int skipBegin = 10, int skipEnd = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skipBegin);
        ArgumentOutOfRangeException.ThrowIfNegative(skipEnd);
        var kept = Enumerable.Range(skipBegin, Math.Max(0, Losses.Count - skipBegin - skipEnd))
            .Where(i => double.IsFinite(Losses[i])).ToList();
        if (kept.Count < 2)
        {
            Output.Warn($"Failed to compute a learning-rate suggestion: only {kept.Count} of {Losses.Count} losses are finite and not skipped " +
                           "(skipBegin, skipEnd). Run more steps (numTraining) or let the search go on longer (earlyStopThreshold).");
            OptimalIndex = null;
            return null;
        }
        var best = 0;
        var steepest = double.PositiveInfinity;
        for (var k = 0; k < kept.Count; k++)
        {
            var slope = Slope(kept, k);
            if (slope < steepest)
            {
                steepest = slope;
                best = k;
            }
        }
        OptimalIndex = kept[best];
        return Lrs[kept[best]];
    }

    // Second-order central differences inside, one-sided at the ends, for unevenly spaced points (torch.gradient with spacing).
    private double Slope(List<int> kept, int k)
    {
        double X(int j) => Lrs[kept[j]];
        double Y(int j) => Losses[kept[j]];
        if (k == 0) return (Y(1) - Y(0)) / (X(1) - X(0));
        var last = kept.Count - 1;
        if (k == last) return (Y(last) - Y(last - 1)) / (X(last) - X(last - 1));
        var left = X(k) - X(k - 1);
        var right = X(k + 1) - X(k);
        return (left * left * Y(k + 1) - right * right * Y(k - 1) + (right * right - left * left) * Y(k)) / (left * right * (left + right));
    }

    /// <summary>
    /// Writes the results as CSV, atomically: <c>lr,loss,suggested</c>, one row per step, <c>suggested</c> 1 on the row of
    /// the last <see cref="Suggestion"/>. <c>dotnet lightning plot lr_find.csv</c> draws it.
    /// </summary>
    public void WriteCsv(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var text = new StringBuilder("lr,loss,suggested\n");
        for (var i = 0; i < Lrs.Count; i++)
            text.Append(CultureInfo.InvariantCulture, $"{Lrs[i]:R},{Losses[i]:R},{(i == OptimalIndex ? 1 : 0)}\n");
        AtomicFile.WriteAllText(path, text.ToString());
    }
}
