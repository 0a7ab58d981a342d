using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Lightning;

/// <summary>
/// The worker threads of one epoch of a <see cref="PrefetchingDataLoader{TBatch}"/>. Batch i is made by worker
/// i mod n, which queues it in its own bounded queue; the consumer takes batch i from that queue, so batches
/// come out in order and no worker runs more than its queue's capacity ahead. Disposing stops the workers and
/// frees every batch nobody took.
/// </summary>
internal sealed class PrefetchWorkers<TBatch> : IDisposable
{
    private readonly BlockingCollection<Made>[] _queues;
    private readonly Thread[] _threads;
    private readonly CancellationTokenSource _stop = new();

    public PrefetchWorkers(BatchRequest[] requests, Func<BatchRequest, TBatch> make, int workers, int prefetchFactor)
    {
        workers = Math.Max(1, Math.Min(workers, requests.Length));
        _queues = new BlockingCollection<Made>[workers];
        _threads = new Thread[workers];
        for (var w = 0; w < workers; w++)
        {
            _queues[w] = new BlockingCollection<Made>(prefetchFactor);
            var worker = w;
            _threads[w] = new Thread(() => Work(worker, requests, make))
            {
                IsBackground = true,
                Name = $"Lightning loader worker {w}",
            };
        }
        foreach (var thread in _threads) thread.Start();
    }

    /// <summary>Batch <paramref name="index"/>, waiting for it if needed; a failure making it is rethrown here.</summary>
    public TBatch Take(int index)
    {
        var made = _queues[index % _queues.Length].Take();
        made.Error?.Throw();
        return made.Batch!;
    }

    private void Work(int worker, BatchRequest[] requests, Func<BatchRequest, TBatch> make)
    {
        var queue = _queues[worker];
        for (var i = worker; i < requests.Length && !_stop.IsCancellationRequested; i += _queues.Length)
        {
            Made made;
            try
            {
                made = new Made(make(requests[i]), null);
            }
            catch (Exception exception)
            {
                made = new Made(default, ExceptionDispatchInfo.Capture(exception));
            }
            try
            {
                queue.Add(made, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                if (made.Error is null) PrefetchingDataLoader<TBatch>.Release(made.Batch!);
                return;
            }
            // After a failure the consumer stops at that batch; making more would be wasted work.
            if (made.Error is not null) return;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var thread in _threads) thread.Join();
        foreach (var queue in _queues)
        {
            while (queue.TryTake(out var made))
                if (made.Error is null) PrefetchingDataLoader<TBatch>.Release(made.Batch!);
            queue.Dispose();
        }
        _stop.Dispose();
    }

    private readonly record struct Made(TBatch? Batch, ExceptionDispatchInfo? Error);
}
