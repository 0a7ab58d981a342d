namespace Lightning;

/// <summary>
/// A loader of this runtime that batches the rows of a data set of known length, so that predictions made on
/// each rank's shard can be put back in the data set's order (see <c>PredictionGather</c>).
/// </summary>
internal interface IRowBatches
{
    /// <summary>Rows in the whole data set, before sharding.</summary>
    long Rows { get; }

    /// <summary>Rows per batch.</summary>
    int BatchSize { get; }
}
