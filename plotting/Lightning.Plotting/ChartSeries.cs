namespace Lightning.Plotting;

/// <summary>One line of a chart: its legend label and its points.</summary>
/// <param name="Label">The legend's text.</param>
/// <param name="X">The points' x values (steps, say).</param>
/// <param name="Y">The points' y values, as many as <paramref name="X"/>.</param>
public sealed record ChartSeries(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y);
