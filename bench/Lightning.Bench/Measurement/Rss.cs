namespace Lightning.Bench.Measurement;

/// <summary>The process's resident memory, read from /proc/self/status as the kernel accounts it.</summary>
internal static class Rss
{
    /// <summary>Resident set size now, in bytes.</summary>
    public static long Current() => Read("VmRSS:");

    /// <summary>The peak resident set size of the process so far, in bytes.</summary>
    public static long Peak() => Read("VmHWM:");

    private static long Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]) * 1024;
        throw new InvalidOperationException($"/proc/self/status has no {field} line; the memory case needs Linux.");
    }
}
