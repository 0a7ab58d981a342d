namespace Lightning;

/// <summary>
/// A loader that can give one rank of a data-parallel job its own part of the data (Lightning's
/// <c>use_distributed_sampler</c> putting a <c>DistributedSampler</c> in each loader). When more than one process
/// trains, the trainer calls <see cref="SetShard"/> on every loader it gets, before using it. A loader then visits
/// every worldSize-th row of the epoch's order, starting at row rank: the
/// order is the same on every rank (same seed and epoch), and rows from its start are repeated to pad the order to a
/// multiple of the ranks, so every rank takes the same number of batches.
/// </summary>
public interface IShardable
{
    /// <summary>Makes the loader yield the part of rank <paramref name="rank"/> of <paramref name="worldSize"/>.</summary>
    void SetShard(int rank, int worldSize);
}
