namespace Lightning.Loops;

/// <summary>
/// Walks a loader up to a batch limit and says which batch is the last. When the loader's length is known it
/// counts; otherwise it reads one batch ahead (Lightning's prefetching fetcher). Counting is preferred because
/// loaders such as TorchSharp's dispose the previous batch when they move on.
/// </summary>
internal sealed class BatchIterator<T> : IDisposable
{
    private readonly IEnumerator<T> _source;
    private readonly int _limit;
    private readonly int? _length;
    private bool _hasNext;
    private T _next = default!;
    private readonly string _name;

    /// <param name="source">The loader.</param>
    /// <param name="length">The loader's length, when known.</param>
    /// <param name="limit">The most batches to yield.</param>
    /// <param name="skip">Batches to pass over first (to resume inside an epoch).</param>
    /// <param name="name">What the loader is, for the error when it holds no batch (for example "training loader").</param>
    public BatchIterator(IEnumerable<T> source, int? length, int limit, string name, int skip = 0)
    {
        if (length == 0) throw Empty(name);
        _source = source.GetEnumerator();
        _length = length;
        _limit = limit;
        _name = name;
        for (var i = 0; i < skip && _source.MoveNext(); i++) { }
        Index = skip;
        if (_length is null)
        {
            ReadAhead();
            if (!_hasNext && skip == 0 && limit > 0) throw Empty(name);
        }
    }

    /// <summary>The index of the next batch.</summary>
    public int Index { get; private set; }

    /// <summary>Whether another batch follows (within the limit).</summary>
    public bool HasNext => Index < _limit && (_length is { } length ? Index < length : _hasNext);

    /// <summary>Moves to the next batch; false at the end or at the limit.</summary>
    public bool TryNext(out T batch, out bool isLast)
    {
        batch = default!;
        isLast = false;
        if (Index >= _limit) return false;
        if (_length is { } length)
        {
            if (!_source.MoveNext())
            {
                if (Index == 0) throw Empty(_name);
                return false;
            }
            batch = _source.Current;
            isLast = Index + 1 >= Math.Min(length, _limit);
        }
        else
        {
            if (!_hasNext) return false;
            batch = _next;
            ReadAhead();
            isLast = !_hasNext || Index + 1 >= _limit;
        }
        Index++;
        return true;
    }

    private void ReadAhead()
    {
        _hasNext = _source.MoveNext();
        _next = _hasNext ? _source.Current : default!;
    }

    public void Dispose() => _source.Dispose();

    internal static InvalidOperationException Empty(string name) => new(
        $"The {name} yielded no batches. Check that its data set is not empty, that the batch size is not larger than " +
        "the data when dropping the last batch, and that the loader can be enumerated more than once.");
}
