namespace Lightning.Plotting;

/// <summary>
/// Turns runs' metrics into panels: one per quantity, with training, validation and test values of it together
/// (<c>train_loss</c>, <c>val_loss</c> and <c>loss_epoch</c> share the "loss" panel) against the step, and the
/// runs overlaid. Loss comes first, then accuracy, then the rest by name.
/// </summary>
public static class MetricsChart
{
    private static readonly string[] Stages = ["train_", "training_", "val_", "validation_", "test_", "train/", "val/", "test/"];

    /// <summary>The quantity a metric measures: its name without the stage prefix and the <c>_step</c>/<c>_epoch</c> suffix.</summary>
    public static string Quantity(string metric)
    {
        var name = metric;
        foreach (var suffix in new[] { "_step", "_epoch" })
            if (name.EndsWith(suffix, StringComparison.Ordinal)) name = name[..^suffix.Length];
        foreach (var prefix in Stages)
            if (name.StartsWith(prefix, StringComparison.Ordinal)) return name[prefix.Length..];
        return name;
    }

    /// <summary>The panels of <paramref name="runs"/>, only those of <paramref name="quantities"/> when given.</summary>
    /// <exception cref="ArgumentException">None of the runs has a metric to draw (of those asked for); the message lists what there is.</exception>
    public static IReadOnlyList<ChartPanel> Panels(IReadOnlyList<RunMetrics> runs, IReadOnlyCollection<string>? quantities = null)
    {
        var all = runs.SelectMany(r => r.Metrics.Keys).Distinct().ToList();
        var panels = all.GroupBy(Quantity)
            .Where(g => quantities is null || quantities.Count == 0 || quantities.Contains(g.Key) || g.Any(quantities.Contains))
            .OrderBy(g => g.Key.Contains("loss", StringComparison.Ordinal) ? 0 : g.Key.StartsWith("acc", StringComparison.Ordinal) ? 1 : 2)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ChartPanel(g.Key, "step", g.Key,
                runs.SelectMany(run => g.Order(StringComparer.Ordinal).Where(run.Metrics.ContainsKey)
                    .Select(metric => run.Metrics[metric] with { Label = runs.Count > 1 ? $"{run.Name} {metric}" : metric })).ToList()))
            .ToList();
        if (panels.Count == 0)
            throw new ArgumentException(all.Count == 0
                ? "The runs have no metric values to draw yet."
                : $"No metric of {string.Join(", ", quantities!)} in the runs; they have {string.Join(", ", all.Order(StringComparer.Ordinal))}.", nameof(quantities));
        return panels;
    }
}
