using System.Collections;
using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// Batches of rows from in-memory feature and label tensors, optionally shuffled. The order of epoch e is a
/// function of the seed and e alone (see <see cref="IEpochAware"/>), so shuffled runs repeat exactly and resume
/// exactly. Each batch is disposed when the next one is taken; copy what you keep.
/// </summary>
public sealed class TensorDataLoader : IEnumerable<(Tensor X, Tensor Y)>, IEpochAware, IShardable, IReadOnlyCollection<(Tensor X, Tensor Y)>, IShuffledLoader<(Tensor X, Tensor Y)>, IRowBatches
{
    private readonly Tensor _x;
    private readonly Tensor _y;
    private int _epoch;
    private DataShard _shard = DataShard.Whole;

    /// <summary>Creates a loader over <paramref name="x"/> and <paramref name="y"/>, which must have the same number of rows.</summary>
    /// <param name="x">Features, one row per example.</param>
    /// <param name="y">Labels, one row per example.</param>
    /// <param name="batchSize">Rows per batch.</param>
    /// <param name="shuffle">Whether each epoch visits the rows in a new random order.</param>
    /// <param name="dropLast">Whether to drop a last batch smaller than <paramref name="batchSize"/>.</param>
    /// <param name="seed">The shuffling seed; default the seed given to <c>Trainer.SeedEverything</c>, else 0.</param>
    public TensorDataLoader(Tensor x, Tensor y, int batchSize, bool shuffle = false, bool dropLast = false, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.shape[0] != y.shape[0])
            throw new ArgumentException($"x has {x.shape[0]} rows but y has {y.shape[0]}; they must have one row per example each.", nameof(y));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _x = x;
        _y = y;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        Seed = seed;
    }

    /// <summary>Rows per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether the rows are shuffled each epoch.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a short last batch is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>The shuffling seed, when fixed here.</summary>
    public long? Seed { get; }

    /// <summary>Number of rows.</summary>
    public long Rows => _x.shape[0];

    /// <summary>Number of batches per epoch (of this rank's part when training on several, see <see cref="IShardable"/>).</summary>
    public int Count => _shard.Batches(Rows, BatchSize, DropLast);

    /// <inheritdoc />
    public void SetEpoch(int epoch) => _epoch = epoch;

    IEnumerable<(Tensor X, Tensor Y)> IShuffledLoader<(Tensor X, Tensor Y)>.InOrder() => new TensorDataLoader(_x, _y, BatchSize, shuffle: false, DropLast, Seed);

    /// <inheritdoc />
    public void SetShard(int rank, int worldSize) => _shard = DataShard.Of(rank, worldSize);

    /// <inheritdoc />
    public IEnumerator<(Tensor X, Tensor Y)> GetEnumerator()
    {
        using var order = EpochOrder.Rows(Rows, Shuffle, Seed, _epoch, _shard);
        var rows = _shard.Rows(Rows);
        for (var i = 0; i < Count; i++)
        {
            var start = (long)i * BatchSize;
            var length = Math.Min(BatchSize, rows - start);
            (Tensor X, Tensor Y) batch;
            using (NewDisposeScope())
            {
                if (order is null) batch = (_x.narrow(0, start, length).MoveToOuterDisposeScope(), _y.narrow(0, start, length).MoveToOuterDisposeScope());
                else
                {
                    var index = order.narrow(0, start, length);
                    batch = (_x.index_select(0, index).MoveToOuterDisposeScope(), _y.index_select(0, index).MoveToOuterDisposeScope());
                }
            }
            try
            {
                yield return batch;
            }
            finally
            {
                batch.X.Dispose();
                batch.Y.Dispose();
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
