namespace Lightning.Bench.Report;

/// <summary>One goal of issue 8 and how the run did against it.</summary>
/// <param name="Name">What is measured, e.g. "Trainer / plain loop, seconds per epoch (median of paired ratios)".</param>
/// <param name="Measured">The measured value, formatted.</param>
/// <param name="Target">The goal, formatted, e.g. "≤ 1.01".</param>
/// <param name="Met">Whether the goal was met.</param>
/// <param name="Why">For a missed goal, what the case's own measurements say about the cause.</param>
internal sealed record Goal(string Name, string Measured, string Target, bool Met, string? Why = null);
