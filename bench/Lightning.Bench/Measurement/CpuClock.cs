using System.Runtime.InteropServices;

namespace Lightning.Bench.Measurement;

/// <summary>
/// CPU time the whole process has used (all threads: JIT, garbage collector and LibTorch's included), from
/// <c>clock_gettime(CLOCK_PROCESS_CPUTIME_ID)</c>. On a machine shared with other work this measures what a
/// loop costs far more steadily than the wall clock, which also counts the time other processes held the cores.
/// </summary>
internal static class CpuClock
{
    private const int ProcessCpuTimeId = 2;

    public static double Seconds()
    {
        if (ClockGetTime(ProcessCpuTimeId, out var time) != 0)
            throw new InvalidOperationException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed; the benchmarks need Linux.");
        return time.Seconds + time.Nanoseconds * 1e-9;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
}
