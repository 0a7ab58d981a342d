using System.Runtime.InteropServices;

namespace Lightning.IO;

/// <summary>
/// Whether two paths name the same file by the case rules of the platform's default disks: case-insensitive on
/// Windows (NTFS) and macOS (APFS), case-sensitive on Linux. A resume that spells the folder differently then still
/// finds its checkpoints.
/// </summary>
internal static class PathRules
{
    /// <summary>How this platform compares paths.</summary>
    public static StringComparison Current { get; } = For(
        OperatingSystem.IsWindows() ? OSPlatform.Windows : OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux);

    /// <summary>Full paths compared as <see cref="Current"/> compares them, for sets and dictionaries of paths.</summary>
    public static StringComparer Comparer { get; } = StringComparer.FromComparison(Current);

    /// <summary>How paths compare on <paramref name="os"/>.</summary>
    public static StringComparison For(OSPlatform os) =>
        os == OSPlatform.Windows || os == OSPlatform.OSX ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> name the same file or folder, after making both full.</summary>
    public static bool Same(string a, string b, StringComparison? comparison = null) =>
        string.Equals(Full(a), Full(b), comparison ?? Current);

    /// <summary>Whether <paramref name="path"/> lies inside <paramref name="folder"/>.</summary>
    public static bool IsInside(string path, string folder, StringComparison? comparison = null) =>
        Full(path).StartsWith(Full(folder) + Path.DirectorySeparatorChar, comparison ?? Current);

    private static string Full(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
