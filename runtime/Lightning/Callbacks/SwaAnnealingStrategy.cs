namespace Lightning;

/// <summary>How <see cref="StochasticWeightAveraging"/> moves the learning rate to the SWA rate (Lightning's <c>annealing_strategy</c>).</summary>
public enum SwaAnnealingStrategy
{
    /// <summary>Along half a cosine.</summary>
    Cos,

    /// <summary>In a straight line.</summary>
    Linear,
}
