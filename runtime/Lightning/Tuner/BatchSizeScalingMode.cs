namespace Lightning;

/// <summary>How <see cref="Tuner.ScaleBatchSize{TBatch}"/> searches (Lightning's <c>mode</c>).</summary>
public enum BatchSizeScalingMode
{
    /// <summary>Doubles the batch size until a trial runs out of memory, and keeps the last size that fitted (<c>"power"</c>).</summary>
    Power,

    /// <summary>Doubles until a trial runs out of memory, then bisects between the last size that fitted and the first that did not (<c>"binsearch"</c>).</summary>
    BinSearch,
}
