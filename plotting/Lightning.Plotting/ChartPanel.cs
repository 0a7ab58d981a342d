namespace Lightning.Plotting;

/// <summary>One plot of a chart: a title, axis labels and the lines it overlays.</summary>
/// <param name="Title">The title above the plot.</param>
/// <param name="XLabel">The x axis's label.</param>
/// <param name="YLabel">The y axis's label.</param>
/// <param name="Series">The lines, each in a colour of its own.</param>
public sealed record ChartPanel(string Title, string XLabel, string YLabel, IReadOnlyList<ChartSeries> Series);
