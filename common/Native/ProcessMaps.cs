namespace Lightning.Native;

/// <summary>
/// The files mapped into a process, read from the text of Linux's <c>/proc/self/maps</c>: which copy of a library
/// the process loaded, whatever the loader's search would find now.
/// </summary>
internal static class ProcessMaps
{
    /// <summary>This process's maps, or <see langword="null"/> where there are none to read (not Linux).</summary>
    public static string? Current()
    {
        const string maps = "/proc/self/maps";
        return OperatingSystem.IsLinux() && File.Exists(maps) ? File.ReadAllText(maps) : null;
    }

    /// <summary>The path of the first file in <paramref name="maps"/> whose file name <paramref name="matches"/>, or <see langword="null"/>.</summary>
    public static string? Find(string? maps, Func<string, bool> matches)
    {
        if (maps is null) return null;
        foreach (var line in maps.Split('\n'))
        {
            // address perms offset device inode path; the path is the rest of the line and may hold spaces.
            var fields = line.Split((char[]?)null, 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6) continue;
            var path = fields[5].Trim();
            if (path.StartsWith('/') && matches(Path.GetFileName(path))) return path;
        }
        return null;
    }

    /// <summary>The full path this process loaded the library named <paramref name="fileName"/> (e.g. <c>libtorch_cpu.so</c>) from, or null when none is loaded or it cannot be told.</summary>
    public static string? PathOf(string fileName) => Find(Current(), name => name == fileName);
}
