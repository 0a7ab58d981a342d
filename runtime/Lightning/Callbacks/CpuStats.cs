using System.Diagnostics;
using System.Globalization;

namespace Lightning;

/// <summary>
/// The CPU and memory readings of <see cref="DeviceStatsMonitor"/>, named as Lightning's <c>get_cpu_stats</c> names
/// them, plus this process's memory. The machine-wide ones come from Linux's <c>/proc</c> and are left out elsewhere.
/// </summary>
internal sealed class CpuStats
{
    private (long Busy, long Total)? _previous;

    /// <summary>Adds the current readings to <paramref name="stats"/>.</summary>
    public void Read(IDictionary<string, double> stats)
    {
        using (var process = Process.GetCurrentProcess()) stats["process_rss_bytes"] = process.WorkingSet64;
        stats["managed_heap_bytes"] = GC.GetTotalMemory(forceFullCollection: false);
        if (ReadCpuTimes() is { } times)
        {
            // As psutil.cpu_percent(): the share of all cores busy since the previous reading (since boot the first time).
            var (busy, total) = _previous is { } previous ? (times.Busy - previous.Busy, times.Total - previous.Total) : times;
            _previous = times;
            stats["cpu_percent"] = total > 0 ? 100.0 * busy / total : 0;
        }
        if (ReadMemInfo() is { } memory)
        {
            if (memory.TryGetValue("MemTotal", out var totalMemory) && totalMemory > 0 && memory.TryGetValue("MemAvailable", out var available))
                stats["cpu_vm_percent"] = 100.0 * (totalMemory - available) / totalMemory;
            if (memory.TryGetValue("SwapTotal", out var swap) && memory.TryGetValue("SwapFree", out var swapFree))
                stats["cpu_swap_percent"] = swap > 0 ? 100.0 * (swap - swapFree) / swap : 0;
        }
    }

    // The first line of /proc/stat: user nice system idle iowait irq softirq steal ...; idle and iowait are not busy.
    private static (long Busy, long Total)? ReadCpuTimes()
    {
        if (!File.Exists("/proc/stat")) return null;
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Sum();
        var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
        return (total - idle, total);
    }

    // /proc/meminfo's "Name:   value kB" lines, in kB.
    private static Dictionary<string, long>? ReadMemInfo()
    {
        if (!File.Exists("/proc/meminfo")) return null;
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            var parts = line.Split(':', 2);
            if (parts.Length == 2 && long.TryParse(parts[1].Trim().Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                values[parts[0]] = value;
        }
        return values;
    }
}
