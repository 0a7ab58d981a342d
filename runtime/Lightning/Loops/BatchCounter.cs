using System.Collections;

namespace Lightning.Loops;

/// <summary>Lengths of loaders, when they can be known without iterating.</summary>
internal static class BatchCounter
{
    /// <summary>The number of batches, or null for a loader of unknown length (a generator, a stream).</summary>
    public static int? Count<T>(IEnumerable<T> loader) => loader switch
    {
        IReadOnlyCollection<T> c => c.Count,
        ICollection c => c.Count,
        _ => CountProperty(loader),
    };

    /// <summary>The batches each loader gives: its limit, or its length where that is known and smaller.</summary>
    public static List<int> WithinLimits(IReadOnlyList<int?> lengths, IReadOnlyList<int> limits) =>
        limits.Select((limit, i) => lengths[i] is { } n ? Math.Min(n, limit) : limit).ToList();

    // TorchSharp's DataLoader<T, S> and similar loaders expose a Count property without implementing a collection interface.
    private static int? CountProperty(object loader) =>
        loader.GetType().GetProperty("Count")?.GetValue(loader) switch
        {
            int i => i,
            long l => (int)l,
            _ => null,
        };
}
