namespace Lightning;

/// <summary>How a metric logged on many steps becomes one value per epoch (Lightning's <c>reduce_fx</c>).</summary>
public enum Reduce
{
    /// <summary>Mean weighted by batch size (Lightning's default).</summary>
    Mean,
    /// <summary>Sum over the epoch.</summary>
    Sum,
    /// <summary>Largest value.</summary>
    Max,
    /// <summary>Smallest value.</summary>
    Min,
}
