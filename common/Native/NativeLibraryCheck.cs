using System.Text;

namespace Lightning.Native;

/// <summary>
/// Tells whether a libstdc++ provides the symbol version TorchSharp's native library needs, the same test as
/// <c>eng/native-check.sh</c>: the version string is looked for inside the library file, where the ELF version
/// definitions keep it.
/// </summary>
internal static class NativeLibraryCheck
{
    /// <summary>The newest libstdc++ symbol version TorchSharp 0.107's <c>libLibTorchSharp.so</c> asks for (GCC 13).</summary>
    public const string RequiredGlibcxx = "GLIBCXX_3.4.32";

    /// <summary>Whether the library file at <paramref name="path"/> defines <paramref name="version"/>.</summary>
    public static bool Provides(string path, string version = RequiredGlibcxx) =>
        File.ReadAllBytes(path).AsSpan().IndexOf(Encoding.ASCII.GetBytes(version)) >= 0;

    /// <summary>
    /// The libstdc++ a process has mapped, read from the text of its <c>/proc/self/maps</c>, or <see langword="null"/>
    /// when none is. That is the copy every library loaded later binds to, whatever the loader's search would find.
    /// </summary>
    public static string? FindLibStdCxx(string? procMaps) =>
        ProcessMaps.Find(procMaps, name => name.StartsWith("libstdc++.so", StringComparison.Ordinal));
}
