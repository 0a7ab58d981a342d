using System.Diagnostics;

namespace Lightning.Bench.Measurement;

/// <summary>Wall-clock and process CPU seconds of one measured piece of work.</summary>
internal readonly record struct Timing(double Wall, double Cpu)
{
    /// <summary>Runs <paramref name="work"/> and returns its result with the time it took.</summary>
    public static (T Result, Timing Time) Measure<T>(Func<T> work)
    {
        var cpu = CpuClock.Seconds();
        var wall = Stopwatch.StartNew();
        var result = work();
        wall.Stop();
        return (result, new Timing(wall.Elapsed.TotalSeconds, CpuClock.Seconds() - cpu));
    }
}
