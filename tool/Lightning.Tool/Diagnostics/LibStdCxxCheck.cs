using System.Diagnostics;
using System.Text;

namespace Lightning.Tool.Diagnostics;

/// <summary>
/// Whether the system's libstdc++ has the symbol version TorchSharp 0.107's native library needs
/// (GLIBCXX_3.4.32, GCC 13 or newer); the same test as <c>eng/native-check.sh</c>: the version string is in
/// the library's ELF version definitions.
/// </summary>
internal static class LibStdCxxCheck
{
    /// <summary>The symbol version TorchSharp's native library needs.</summary>
    public const string Required = "GLIBCXX_3.4.32";

    private static readonly string[] KnownFolders = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu"];

    /// <summary>The libstdc++ the loader would pick, or <see langword="null"/>.</summary>
    public static string? Find()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("ldconfig", "-p") { RedirectStandardOutput = true, UseShellExecute = false });
            if (process is not null)
            {
                var line = process.StandardOutput.ReadToEnd().Split('\n').FirstOrDefault(l => l.Contains("libstdc++.so.6 ", StringComparison.Ordinal));
                process.WaitForExit();
                if (line?.Split("=>").LastOrDefault()?.Trim() is { Length: > 0 } path && File.Exists(path)) return path;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No ldconfig on this system: fall back to the usual folders.
        }
        return KnownFolders.Select(f => Path.Combine(f, "libstdc++.so.6")).FirstOrDefault(File.Exists);
    }

    /// <summary>Whether the library file at <paramref name="path"/> defines <see cref="Required"/>.</summary>
    public static bool Provides(string path)
    {
        var needle = Encoding.ASCII.GetBytes(Required);
        return File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0;
    }
}
