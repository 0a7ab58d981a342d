using System.Runtime.InteropServices;

namespace Lightning.Tests.Support;

/// <summary>
/// Waits for any process, not only a child, to end, through a Linux pidfd: it becomes readable when the process
/// terminates, whether or not its parent has reaped it yet (a zombie still answers <c>kill(pid, 0)</c>, which is
/// how <see cref="System.Diagnostics.Process.WaitForExit(int)"/> watches processes it did not start).
/// </summary>
internal static class ProcessExit
{
    private const long PidfdOpen = 434; // the syscall's number on every Linux architecture since 5.3
    private const short PollIn = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int syscall(long number, int pid, uint flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int poll(ref PollFd fds, nuint count, int timeoutMs);

    [DllImport("libc")]
    private static extern int close(int fd);

    /// <summary>True when process <paramref name="pid"/> has ended (or never existed) within <paramref name="timeout"/>.</summary>
    public static bool Wait(int pid, TimeSpan timeout)
    {
        var fd = syscall(PidfdOpen, pid, 0);
        if (fd < 0) return Marshal.GetLastPInvokeError() == 3; // ESRCH: already gone
        try
        {
            var entry = new PollFd { Fd = fd, Events = PollIn };
            var ready = poll(ref entry, 1, (int)Math.Max(0, timeout.TotalMilliseconds));
            if (ready < 0) throw new InvalidOperationException($"poll on the pidfd of process {pid} failed (errno {Marshal.GetLastPInvokeError()})");
            return ready == 1;
        }
        finally
        {
            close(fd);
        }
    }
}
