namespace Lightning.Accelerators;

/// <summary>Which file a native library already in this process was loaded from (Linux: read from <c>/proc/self/maps</c>).</summary>
internal static class LoadedLibraries
{
    /// <summary>The full path of the loaded library named <paramref name="fileName"/> (e.g. <c>libtorch_cpu.so</c>), or null when none is loaded or it cannot be told.</summary>
    public static string? PathOf(string fileName)
    {
        if (!OperatingSystem.IsLinux()) return null;
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        var suffix = "/" + fileName;
        foreach (var line in File.ReadLines(maps))
        {
            // Lines end with the mapped file's path, which starts at the first '/' after the fixed columns.
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0 && line.EndsWith(suffix, StringComparison.Ordinal)) return line[slash..];
        }
        return null;
    }
}
