using System.Collections;
using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// A loader whose batches cost time to make (decoding, augmentation): worker threads make the next batches
/// while the trainer trains on the current one, at most <see cref="PrefetchFactor"/> batches ahead per worker
/// (PyTorch's <c>DataLoader</c> with <c>num_workers</c> and <c>prefetch_factor</c>). Batches come out in order,
/// and a batch is the same whatever the number of workers. The order of epoch e depends on the seed and e alone
/// (see <see cref="IEpochAware"/>). Each batch is disposed when the next one is taken; copy what you keep.
/// </summary>
/// <typeparam name="TBatch">What the loader yields: a tensor, a tuple of tensors, or any batch <see cref="BatchTransfer"/> understands.</typeparam>
public sealed class PrefetchingDataLoader<TBatch> : IEnumerable<TBatch>, IEpochAware, IShardable, IReadOnlyCollection<TBatch>, IShuffledLoader<TBatch>, IRowBatches
{
    private readonly Func<BatchRequest, TBatch> _makeBatch;
    private int _epoch;
    private DataShard _shard = DataShard.Whole;

    /// <summary>Creates a loader over <paramref name="rows"/> examples that <paramref name="makeBatch"/> turns into batches.</summary>
    /// <param name="rows">Number of examples.</param>
    /// <param name="batchSize">Examples per batch.</param>
    /// <param name="makeBatch">
    /// Makes the batch of the requested rows; it runs on worker threads (on the caller's thread when
    /// <paramref name="numWorkers"/> is 0), so it must only read shared state. Return new tensors: the loader
    /// disposes them when the next batch is taken. Tensors it makes and does not return are disposed at once.
    /// </param>
    /// <param name="shuffle">Whether each epoch visits the examples in a new random order.</param>
    /// <param name="dropLast">Whether to drop a last batch smaller than <paramref name="batchSize"/>.</param>
    /// <param name="numWorkers">Threads making batches; 0 makes each batch on the caller's thread when it is asked for.</param>
    /// <param name="prefetchFactor">Batches each worker may have ready ahead of the consumer (at least 1).</param>
    /// <param name="seed">The shuffling and augmentation seed; default the seed given to <c>Trainer.SeedEverything</c>, else 0.</param>
    public PrefetchingDataLoader(long rows, int batchSize, Func<BatchRequest, TBatch> makeBatch, bool shuffle = false,
        bool dropLast = false, int numWorkers = 0, int prefetchFactor = 2, long? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentNullException.ThrowIfNull(makeBatch);
        ArgumentOutOfRangeException.ThrowIfNegative(numWorkers);
        ArgumentOutOfRangeException.ThrowIfLessThan(prefetchFactor, 1);
        Rows = rows;
        BatchSize = batchSize;
        _makeBatch = makeBatch;
        Shuffle = shuffle;
        DropLast = dropLast;
        NumWorkers = numWorkers;
        PrefetchFactor = prefetchFactor;
        Seed = seed;
    }

    /// <summary>Number of examples.</summary>
    public long Rows { get; }

    /// <summary>Examples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether the examples are shuffled each epoch.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a short last batch is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>Threads making batches (0: the caller's thread).</summary>
    public int NumWorkers { get; }

    /// <summary>Batches each worker may have ready ahead of the consumer.</summary>
    public int PrefetchFactor { get; }

    /// <summary>The shuffling and augmentation seed, when fixed here.</summary>
    public long? Seed { get; }

    /// <summary>Number of batches per epoch (of this rank's part when training on several, see <see cref="IShardable"/>).</summary>
    public int Count => _shard.Batches(Rows, BatchSize, DropLast);

    /// <inheritdoc />
    public void SetEpoch(int epoch) => _epoch = epoch;

    IEnumerable<TBatch> IShuffledLoader<TBatch>.InOrder() =>
        new PrefetchingDataLoader<TBatch>(Rows, BatchSize, _makeBatch, shuffle: false, DropLast, NumWorkers, PrefetchFactor, Seed);

    /// <inheritdoc />
    public void SetShard(int rank, int worldSize) => _shard = DataShard.Of(rank, worldSize);

    /// <inheritdoc />
    public IEnumerator<TBatch> GetEnumerator()
    {
        var requests = Plan();
        using var source = NumWorkers == 0 ? null : new PrefetchWorkers<TBatch>(requests, Make, NumWorkers, PrefetchFactor);
        for (var i = 0; i < requests.Length; i++)
        {
            var batch = source is null ? Make(requests[i]) : source.Take(i);
            try
            {
                yield return batch;
            }
            finally
            {
                Release(batch);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes the tensors of a batch the loader made.</summary>
    internal static void Release(TBatch batch)
    {
        foreach (var tensor in BatchTransfer.Tensors(batch)) tensor.Dispose();
    }

    private BatchRequest[] Plan()
    {
        var epoch = _epoch;
        using var permutation = EpochOrder.Rows(Rows, Shuffle, Seed, epoch, _shard);
        var order = permutation?.data<long>().ToArray();
        var shardRows = _shard.Rows(Rows);
        var requests = new BatchRequest[Count];
        for (var i = 0; i < requests.Length; i++)
        {
            var start = (long)i * BatchSize;
            var rows = new long[Math.Min(BatchSize, shardRows - start)];
            for (var j = 0; j < rows.Length; j++) rows[j] = order?[start + j] ?? start + j;
            requests[i] = new BatchRequest(epoch, i, rows, BatchSeed(epoch, i));
        }
        return requests;
    }

    // Distinct from the shuffling generator's seed, so augmentation draws are not the permutation's draws.
    private ulong BatchSeed(int epoch, int index) =>
        unchecked(EpochOrder.SeedFor(Seed, epoch) * 0x9E3779B97F4A7C15UL + (ulong)index + 1);

    /// <summary>Runs the batch function in a dispose scope of its own and keeps only the tensors it returns.</summary>
    private TBatch Make(BatchRequest request)
    {
        using var scope = NewDisposeScope();
        var batch = _makeBatch(request);
        foreach (var tensor in BatchTransfer.Tensors(batch)) tensor.DetachFromDisposeScope();
        return batch;
    }
}
