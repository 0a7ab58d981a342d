using System.Globalization;

namespace Lightning;

/// <summary>
/// The simple profiler's table with each hook's spread (median, fastest and slowest call) and what it allocated
/// on the managed heap, plus the garbage collections of the stage: where Lightning's <c>AdvancedProfiler</c> runs
/// Python's <c>cProfile</c> per action, .NET's own counters show what a hook costs beyond its time. For
/// per-function detail, run under <c>dotnet-trace</c> or <c>dotnet-counters</c> as well.
/// </summary>
public sealed class AdvancedProfiler : Profiler
{
    private readonly Dictionary<string, (List<TimeSpan> Calls, long Allocated)> _actions = new(StringComparer.Ordinal);
    private readonly int[] _collectionsAtStart = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly long _allocatedAtStart = GC.GetTotalAllocatedBytes();

    /// <summary>Starts a profiler for <paramref name="stage"/>.</summary>
    public AdvancedProfiler(string stage) : base(stage) { }

    /// <inheritdoc />
    protected override void Record(string action, TimeSpan duration, long allocatedBytes)
    {
        if (!_actions.TryGetValue(action, out var entry)) entry = ([], 0);
        entry.Calls.Add(duration);
        _actions[action] = (entry.Calls, entry.Allocated + allocatedBytes);
    }

    /// <inheritdoc />
    public override string Summary()
    {
        var elapsed = Elapsed;
        var rows = _actions.OrderByDescending(a => a.Value.Calls.Sum(c => c.Ticks)).Select(a =>
        {
            var calls = a.Value.Calls.Order().ToList();
            var total = TimeSpan.FromTicks(calls.Sum(c => c.Ticks));
            return (IReadOnlyList<string>)
            [
                a.Key, ProfileTable.Seconds(total / calls.Count), ProfileTable.Seconds(calls[calls.Count / 2]), ProfileTable.Seconds(calls[0]),
                ProfileTable.Seconds(calls[^1]), calls.Count.ToString(CultureInfo.InvariantCulture), ProfileTable.Seconds(total),
                ProfileTable.Percent(total, elapsed), Megabytes(a.Value.Allocated),
            ];
        });
        var table = ProfileTable.Render(Stage,
            ["Action", "Mean duration (s)", "Median (s)", "Min (s)", "Max (s)", "Num calls", "Total time (s)", "Percentage %", "Allocated (MB)"],
            ["Total", "-", "-", "-", "-", _actions.Values.Sum(a => a.Calls.Count).ToString(CultureInfo.InvariantCulture), ProfileTable.Seconds(elapsed), "100 %",
                Megabytes(GC.GetTotalAllocatedBytes() - _allocatedAtStart)], rows);
        var collections = string.Join(", ", Enumerable.Range(0, 3).Select(g => $"gen{g}: {GC.CollectionCount(g) - _collectionsAtStart[g]}"));
        return table + $"Garbage collections during {Stage}: {collections}.{Environment.NewLine}";
    }

    private static string Megabytes(long bytes) => (bytes / 1e6).ToString("0.000", CultureInfo.InvariantCulture);
}
