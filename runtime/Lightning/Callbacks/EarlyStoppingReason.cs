namespace Lightning;

/// <summary>Why <see cref="EarlyStopping"/> stopped training (Lightning's <c>EarlyStoppingReason</c>).</summary>
public enum EarlyStoppingReason
{
    /// <summary>It has not stopped training.</summary>
    NotStopped,

    /// <summary>The metric did not improve for <c>Patience</c> checks.</summary>
    PatienceExhausted,

    /// <summary>The metric reached <c>StoppingThreshold</c>.</summary>
    StoppingThreshold,

    /// <summary>The metric went past <c>DivergenceThreshold</c>.</summary>
    DivergenceThreshold,

    /// <summary>The metric became NaN or infinite.</summary>
    NonFiniteMetric,
}
