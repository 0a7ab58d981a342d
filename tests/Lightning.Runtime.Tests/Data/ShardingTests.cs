using static TorchSharp.torch;

namespace Lightning.Tests.Data;

/// <summary>
/// The runtime's loaders give each rank of a data-parallel job its part of the data as PyTorch's
/// <c>DistributedSampler</c> does: the same epoch order on every rank, every rank taking every world-size-th row of
/// it, padded from the start of the order so every rank takes as many batches.
/// </summary>
[TestClass]
public sealed class ShardingTests
{
    private const int Rows = 9;

    private static long[] RowsOf(IEnumerable<Tensor> batches) => batches.SelectMany(b => b.data<long>().ToArray()).ToArray();

    private static List<long[]> TensorLoaderRanks(int worldSize, int epoch)
    {
        using var x = arange(Rows, ScalarType.Int64);
        return Enumerable.Range(0, worldSize).Select(rank =>
        {
            var loader = new TensorDataLoader(x, x, batchSize: 2, shuffle: true, seed: 5);
            loader.SetShard(rank, worldSize);
            loader.SetEpoch(epoch);
            Assert.AreEqual((Rows + worldSize - 1) / worldSize / 2 + 1, loader.Count, "every rank takes as many batches");
            return RowsOf(loader.Select(b => b.X));
        }).ToList();
    }

    [TestMethod]
    public void EachRankTakesEveryWorldSizeThRowOfTheSharedOrderPaddedFromItsStart()
    {
        using var x = arange(Rows, ScalarType.Int64);
        var whole = new TensorDataLoader(x, x, batchSize: 2, shuffle: true, seed: 5);
        whole.SetEpoch(3);
        var order = RowsOf(whole.Select(b => b.X));

        var ranks = TensorLoaderRanks(2, epoch: 3);

        var padded = order.Append(order[0]).ToArray();
        CollectionAssert.AreEqual(padded.Where((_, i) => i % 2 == 0).ToArray(), ranks[0]);
        CollectionAssert.AreEqual(padded.Where((_, i) => i % 2 == 1).ToArray(), ranks[1]);
    }

    [TestMethod]
    public void AnotherEpochShufflesAnotherOrderAlikeOnEveryRank()
    {
        var epoch0 = TensorLoaderRanks(3, epoch: 0);
        var epoch1 = TensorLoaderRanks(3, epoch: 1);

        CollectionAssert.AreEquivalent(Enumerable.Range(0, Rows).Select(i => (long)i).ToArray(), epoch1.SelectMany(r => r).ToArray());
        CollectionAssert.AreNotEqual(epoch0.SelectMany(r => r).ToArray(), epoch1.SelectMany(r => r).ToArray());
    }

    [TestMethod]
    public void ThePrefetchingLoaderShardsAsTheTensorLoaderDoes()
    {
        var tensorRanks = TensorLoaderRanks(2, epoch: 1);
        for (var rank = 0; rank < 2; rank++)
        {
            var loader = new PrefetchingDataLoader<Tensor>(Rows, 2, request => tensor(request.Rows), shuffle: true, numWorkers: 1, seed: 5);
            loader.SetShard(rank, 2);
            loader.SetEpoch(1);
            CollectionAssert.AreEqual(tensorRanks[rank], RowsOf(loader));
        }
    }
}
