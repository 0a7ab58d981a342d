namespace Lightning;

/// <summary>
/// Several loaders as one (Lightning's <c>CombinedLoader</c>), for training on several data sets at once: each batch is
/// a dictionary from a loader's index in the list to that loader's batch. In <see cref="CombinedLoaderMode.MaxSize"/>
/// an ended loader's index is missing, and in <see cref="CombinedLoaderMode.Sequential"/> each batch holds one index.
/// Where Lightning's yields <c>None</c> for an ended loader, a missing key keeps the batch free of nulls, which a
/// tuple batch could not hold. The module's batch type is then <c>Dictionary&lt;int, TBatch&gt;</c>.
/// </summary>
/// <typeparam name="T">The batch type of each loader.</typeparam>
public sealed class CombinedLoader<T> : IEnumerable<Dictionary<int, T>>, IEpochAware, IShardable
{
    /// <summary>Combines <paramref name="loaders"/> in <paramref name="mode"/>.</summary>
    /// <exception cref="ArgumentException">The list is empty.</exception>
    public CombinedLoader(IReadOnlyList<IEnumerable<T>> loaders, CombinedLoaderMode mode = CombinedLoaderMode.MaxSizeCycle)
    {
        ArgumentNullException.ThrowIfNull(loaders);
        if (loaders.Count == 0) throw new ArgumentException("CombinedLoader needs at least one loader; pass the loaders to combine.", nameof(loaders));
        Loaders = loaders;
        Mode = mode;
    }

    /// <summary>The loaders combined, in the order of their indices.</summary>
    public IReadOnlyList<IEnumerable<T>> Loaders { get; }

    /// <summary>How the loaders are walked.</summary>
    public CombinedLoaderMode Mode { get; }

    /// <summary>The number of combined batches, or null when a loader's length is unknown (the trainer reads this).</summary>
    public int? Count
    {
        get
        {
            var counts = Loaders.Select(Loops.BatchCounter.Count).ToList();
            if (counts.Any(c => c is null)) return null;
            var lengths = counts.Select(c => c!.Value).ToList();
            return Mode switch
            {
                CombinedLoaderMode.MinSize => lengths.Min(),
                CombinedLoaderMode.Sequential => lengths.Sum(),
                _ => lengths.Max(),
            };
        }
    }

    /// <summary>Passes the epoch on to the loaders that shuffle by epoch.</summary>
    public void SetEpoch(int epoch)
    {
        foreach (var loader in Loaders)
            if (loader is IEpochAware aware) aware.SetEpoch(epoch);
    }

    /// <summary>Gives this rank its part of each loader that can be split (see <see cref="IShardable"/>).</summary>
    public void SetShard(int rank, int worldSize)
    {
        foreach (var loader in Loaders)
            if (loader is IShardable shardable) shardable.SetShard(rank, worldSize);
    }

    /// <inheritdoc />
    public IEnumerator<Dictionary<int, T>> GetEnumerator() => Mode == CombinedLoaderMode.Sequential ? OneAfterAnother() : Together();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerator<Dictionary<int, T>> OneAfterAnother()
    {
        for (var i = 0; i < Loaders.Count; i++)
            foreach (var batch in Loaders[i]) yield return new Dictionary<int, T> { [i] = batch };
    }

    private IEnumerator<Dictionary<int, T>> Together()
    {
        var iterators = Loaders.Select(l => l.GetEnumerator()).ToArray();
        var ended = new bool[iterators.Length];
        try
        {
            while (true)
            {
                var batch = new Dictionary<int, T>();
                for (var i = 0; i < iterators.Length; i++)
                {
                    if (ended[i] && Mode == CombinedLoaderMode.MaxSize) continue;
                    if (iterators[i].MoveNext())
                    {
                        batch[i] = iterators[i].Current;
                        continue;
                    }
                    ended[i] = true;
                    if (Mode == CombinedLoaderMode.MinSize || ended.All(e => e)) yield break;
                    if (Mode != CombinedLoaderMode.MaxSizeCycle) continue;
                    // A shorter loader starts again until the longest has ended once.
                    iterators[i].Dispose();
                    iterators[i] = Loaders[i].GetEnumerator();
                    if (iterators[i].MoveNext()) batch[i] = iterators[i].Current;
                }
                yield return batch;
            }
        }
        finally
        {
            foreach (var iterator in iterators) iterator.Dispose();
        }
    }
}
