using System.Collections.Concurrent;
using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests.Data;

[TestClass]
public sealed class PrefetchingDataLoaderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>A batch of the requested row numbers, plus noise drawn from the request's seed (an augmentation).</summary>
    private static (Tensor Rows, Tensor Noise) RowsAndNoise(BatchRequest request)
    {
        var random = new Random(unchecked((int)request.Seed));
        return (tensor(request.Rows), tensor(request.Rows.Select(_ => random.NextSingle()).ToArray()));
    }

    private static List<(long[] Rows, float[] Noise)> Epoch(PrefetchingDataLoader<(Tensor Rows, Tensor Noise)> loader, int epoch)
    {
        loader.SetEpoch(epoch);
        return loader.Select(b => (b.Rows.data<long>().ToArray(), b.Noise.data<float>().ToArray())).ToList();
    }

    [TestMethod]
    public void YieldsEveryRowInOrderWithAShortLastBatch()
    {
        var loader = new PrefetchingDataLoader<(Tensor Rows, Tensor Noise)>(10, 4, RowsAndNoise, numWorkers: 2);

        var batches = Epoch(loader, 0);

        Assert.AreEqual(3, loader.Count);
        CollectionAssert.AreEqual(Enumerable.Range(0, 10).Select(i => (long)i).ToArray(), batches.SelectMany(b => b.Rows).ToArray());
        Assert.AreEqual(2, batches[^1].Rows.Length);
    }

    [TestMethod]
    public void DropLastDropsTheShortBatch()
    {
        var loader = new PrefetchingDataLoader<(Tensor Rows, Tensor Noise)>(10, 4, RowsAndNoise, dropLast: true, numWorkers: 1);

        Assert.AreEqual(2, loader.Count);
        Assert.AreEqual(2, Epoch(loader, 0).Count);
    }

    [TestMethod]
    public void BatchesAreTheSameWhateverTheNumberOfWorkers()
    {
        List<(long[] Rows, float[] Noise)> Run(int workers) =>
            Epoch(new PrefetchingDataLoader<(Tensor Rows, Tensor Noise)>(50, 8, RowsAndNoise, shuffle: true, numWorkers: workers, seed: 3), 2);

        var inline = Run(0);
        foreach (var workers in new[] { 1, 3 })
        {
            var threaded = Run(workers);
            Assert.AreEqual(inline.Count, threaded.Count);
            for (var i = 0; i < inline.Count; i++)
            {
                CollectionAssert.AreEqual(inline[i].Rows, threaded[i].Rows, $"rows of batch {i} with {workers} workers");
                CollectionAssert.AreEqual(inline[i].Noise, threaded[i].Noise, $"augmentation of batch {i} with {workers} workers");
            }
        }
    }

    [TestMethod]
    public void ShuffleDependsOnTheEpochAndTheSeedOnly()
    {
        var loader = new PrefetchingDataLoader<(Tensor Rows, Tensor Noise)>(40, 40, RowsAndNoise, shuffle: true, numWorkers: 1, seed: 11);

        var first = Epoch(loader, 1)[0];
        var other = Epoch(loader, 2)[0];
        var again = Epoch(loader, 1)[0];

        CollectionAssert.AreEqual(first.Rows, again.Rows);
        CollectionAssert.AreEqual(first.Noise, again.Noise);
        CollectionAssert.AreNotEqual(first.Rows, other.Rows);
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 40).Select(i => (long)i).ToArray(), first.Rows);
    }

    [TestMethod]
    public void ShufflesInTheSameOrderAsTensorDataLoader()
    {
        using var x = arange(30, dtype: ScalarType.Int64);
        var reference = new TensorDataLoader(x, x, 7, shuffle: true, seed: 5);
        var loader = new PrefetchingDataLoader<(Tensor Rows, Tensor Noise)>(30, 7, RowsAndNoise, shuffle: true, numWorkers: 2, seed: 5);
        reference.SetEpoch(4);

        var expected = reference.SelectMany(b => b.X.data<long>().ToArray()).ToArray();

        CollectionAssert.AreEqual(expected, Epoch(loader, 4).SelectMany(b => b.Rows).ToArray());
    }

    [TestMethod]
    public void AWorkerMakesTheNextBatchWhileTheConsumerHoldsThisOne()
    {
        using var secondMade = new ManualResetEventSlim();
        var loader = new PrefetchingDataLoader<Tensor>(4, 1, request =>
        {
            if (request.Index == 1) secondMade.Set();
            return tensor(request.Rows);
        }, numWorkers: 1);

        using var batches = loader.GetEnumerator();
        Assert.IsTrue(batches.MoveNext());

        Assert.IsTrue(secondMade.Wait(Patience), "batch 1 was not made while batch 0 was being used");
    }

    [TestMethod]
    public void WorkersRunNoFurtherAheadThanThePrefetchFactor()
    {
        const int workers = 2, prefetchFactor = 2;
        var taken = -1;
        var furthestLead = int.MinValue;
        var loader = new PrefetchingDataLoader<Tensor>(40, 1, request =>
        {
            var lead = request.Index - Volatile.Read(ref taken);
            int seen;
            while ((seen = Volatile.Read(ref furthestLead)) < lead && Interlocked.CompareExchange(ref furthestLead, lead, seen) != seen) { }
            return tensor(request.Rows);
        }, numWorkers: workers, prefetchFactor: prefetchFactor);

        foreach (var batch in loader) Volatile.Write(ref taken, (int)batch.data<long>()[0]);

        // Each worker holds at most prefetchFactor queued batches plus the one it is making. `taken` is written only
        // after a batch has left its queue, so a worker may start the next one while `taken` still names the batch
        // before: the measured lead can be one more than the loader's own bound.
        Assert.IsTrue(furthestLead <= workers * (prefetchFactor + 1) + 1, $"a worker ran {furthestLead} batches ahead");
    }

    [TestMethod]
    public void AFailureReachesTheConsumerAtItsBatchAfterTheBatchesBeforeIt()
    {
        var loader = new PrefetchingDataLoader<Tensor>(6, 1, request =>
            request.Index == 3 ? throw new FormatException("image 3 is corrupt") : tensor(request.Rows), numWorkers: 2);
        var received = new List<long>();

        var error = Assert.ThrowsExactly<FormatException>(() =>
        {
            foreach (var batch in loader) received.Add(batch.data<long>()[0]);
        });

        Assert.AreEqual("image 3 is corrupt", error.Message);
        CollectionAssert.AreEqual(new long[] { 0, 1, 2 }, received);
    }

    [TestMethod]
    public void StoppingEarlyFreesEveryBatchAndEveryScratchTensor()
    {
        var made = new ConcurrentBag<Tensor>();
        var loader = new PrefetchingDataLoader<Tensor>(100, 2, request =>
        {
            var scratch = ones(3);
            made.Add(scratch);
            var batch = tensor(request.Rows) + 0;
            made.Add(batch);
            return batch;
        }, numWorkers: 2, prefetchFactor: 3);

        foreach (var batch in loader)
            if (batch.data<long>()[0] >= 4) break;

        Assert.IsTrue(made.Count >= 6);
        Assert.IsTrue(made.All(t => t.IsInvalid), $"{made.Count(t => !t.IsInvalid)} tensors were left alive");
    }

    [TestMethod]
    public void TheTrainerSetsTheEpochAndTrainsOnIt()
    {
        var (x, y) = RandomData.Rows(32);
        var epochsSeen = new ConcurrentBag<int>();
        var loader = new PrefetchingDataLoader<(Tensor X, Tensor Y)>(32, 8, request =>
        {
            epochsSeen.Add(request.Epoch);
            using var rows = tensor(request.Rows);
            return (x.index_select(0, rows), y.index_select(0, rows));
        }, shuffle: true, numWorkers: 2);
        using var model = new TinyModel();
        var trainer = new Trainer(Quiet.Options(maxEpochs: 3));

        trainer.Fit(model, loader);

        Assert.AreEqual(12, trainer.GlobalStep);
        CollectionAssert.AreEquivalent(new[] { 0, 1, 2 }, epochsSeen.Distinct().ToArray());
    }

    [TestMethod]
    public void RejectsSettingsOutOfRange()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new PrefetchingDataLoader<Tensor>(10, 0, r => tensor(r.Rows)));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new PrefetchingDataLoader<Tensor>(10, 2, r => tensor(r.Rows), numWorkers: -1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new PrefetchingDataLoader<Tensor>(10, 2, r => tensor(r.Rows), prefetchFactor: 0));
    }
}
