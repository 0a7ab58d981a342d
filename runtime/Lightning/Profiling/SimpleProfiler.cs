using System.Globalization;

namespace Lightning;

/// <summary>
/// Lightning's <c>SimpleProfiler</c>: per hook, the mean duration, the number of calls, the total time and its
/// share of the stage's time, longest first.
/// </summary>
public sealed class SimpleProfiler : Profiler
{
    private readonly Dictionary<string, (int Calls, TimeSpan Total)> _actions = new(StringComparer.Ordinal);

    /// <summary>Starts a profiler for <paramref name="stage"/>.</summary>
    public SimpleProfiler(string stage) : base(stage) { }

    /// <inheritdoc />
    protected override void Record(string action, TimeSpan duration, long allocatedBytes)
    {
        var (calls, total) = _actions.GetValueOrDefault(action);
        _actions[action] = (calls + 1, total + duration);
    }

    /// <inheritdoc />
    public override string Summary()
    {
        var elapsed = Elapsed;
        var rows = _actions.OrderByDescending(a => a.Value.Total).Select(a => (IReadOnlyList<string>)
        [
            a.Key, ProfileTable.Seconds(a.Value.Total / a.Value.Calls), a.Value.Calls.ToString(CultureInfo.InvariantCulture),
            ProfileTable.Seconds(a.Value.Total), ProfileTable.Percent(a.Value.Total, elapsed),
        ]);
        return ProfileTable.Render(Stage, ["Action", "Mean duration (s)", "Num calls", "Total time (s)", "Percentage %"],
            ["Total", "-", _actions.Values.Sum(a => a.Calls).ToString(CultureInfo.InvariantCulture), ProfileTable.Seconds(elapsed), "100 %"], rows);
    }
}
