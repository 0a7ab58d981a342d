namespace Lightning;

/// <summary>A loader of this runtime that may shuffle, and can give the same batches in order.</summary>
internal interface IShuffledLoader<out TBatch>
{
    /// <summary>Whether each epoch visits the examples in a new random order.</summary>
    bool Shuffle { get; }

    /// <summary>The same loader without shuffling.</summary>
    IEnumerable<TBatch> InOrder();
}
