using TorchSharp;
using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// The order in which a loader visits its rows in an epoch. Shuffled orders come from a generator seeded by
/// (seed, epoch) alone, so an epoch's order never depends on how many random numbers were drawn before it:
/// runs repeat exactly and resume exactly.
/// </summary>
internal static class EpochOrder
{
    /// <summary>A permutation of <paramref name="rows"/> row indices for <paramref name="epoch"/>, or null when not shuffling (the rows in order).</summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="shuffle">Whether to shuffle.</param>
    /// <param name="seed">The loader's seed; default the seed given to <c>Trainer.SeedEverything</c>, else 0.</param>
    /// <param name="epoch">The epoch the order is for.</param>
    public static Tensor? Permutation(long rows, bool shuffle, long? seed, int epoch)
    {
        if (!shuffle) return null;
        using var generator = new Generator(SeedFor(seed, epoch));
        return randperm(rows, generator: generator);
    }

    /// <summary>
    /// The row indices <paramref name="shard"/> visits in <paramref name="epoch"/>, in order, or null for all rows in order:
    /// every <c>WorldSize</c>-th entry of the epoch's order from entry <c>Rank</c>, the order wrapping around to its start
    /// to pad it to a multiple of the ranks (PyTorch's <c>DistributedSampler</c>).
    /// </summary>
    public static Tensor? Rows(long rows, bool shuffle, long? seed, int epoch, DataShard shard)
    {
        var permutation = Permutation(rows, shuffle, seed, epoch);
        if (shard.WorldSize == 1 || rows == 0) return permutation;
        using var all = permutation ?? arange(rows, ScalarType.Int64);
        using var positions = arange(shard.Rank, shard.Rows(rows) * shard.WorldSize, shard.WorldSize, ScalarType.Int64);
        using var wrapped = positions.remainder(rows);
        return all.index_select(0, wrapped);
    }

    /// <summary>The generator seed of <paramref name="epoch"/>.</summary>
    public static ulong SeedFor(long? seed, int epoch) => unchecked((ulong)((seed ?? Trainer.Seed ?? 0) * 1_000_003 + epoch));
}
