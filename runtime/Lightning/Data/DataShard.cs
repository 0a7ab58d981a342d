namespace Lightning;

/// <summary>The part of a data set one rank of <see cref="WorldSize"/> visits (see <see cref="IShardable"/>).</summary>
/// <param name="Rank">The rank, from 0.</param>
/// <param name="WorldSize">The number of ranks sharing the data.</param>
internal readonly record struct DataShard(int Rank, int WorldSize)
{
    /// <summary>The whole data set: one rank.</summary>
    public static DataShard Whole { get; } = new(0, 1);

    /// <summary>The shard of rank <paramref name="rank"/>, checked.</summary>
    public static DataShard Of(int rank, int worldSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
        return new(rank, worldSize);
    }

    /// <summary>The rows this shard visits out of <paramref name="rows"/>: every shard as many, padded as needed.</summary>
    public long Rows(long rows) => WorldSize == 1 ? rows : (rows + WorldSize - 1) / WorldSize;

    /// <summary>The batches of <paramref name="batchSize"/> this shard makes of its rows out of <paramref name="rows"/>.</summary>
    public int Batches(long rows, int batchSize, bool dropLast)
    {
        var mine = Rows(rows);
        return (int)(dropLast ? mine / batchSize : (mine + batchSize - 1) / batchSize);
    }
}
