namespace Lightning;

/// <summary>Whether a monitored metric is better when lower or when higher (Lightning's <c>mode="min"</c> / <c>"max"</c>).</summary>
public enum MonitorMode
{
    /// <summary>Lower is better (losses).</summary>
    Min,

    /// <summary>Higher is better (accuracies).</summary>
    Max,
}
