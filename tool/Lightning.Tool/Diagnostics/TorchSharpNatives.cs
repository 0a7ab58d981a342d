using Lightning.Native;

namespace Lightning.Tool.Diagnostics;

/// <summary>
/// Finds the native libraries a project will load, LibTorch's CPU library and TorchSharp's LibTorchSharp: its build
/// output first, then the NuGet cache.
/// </summary>
internal static class TorchSharpNatives
{
    /// <summary>
    /// Paths of LibTorch's CPU library and LibTorchSharp, from the project's bin folder or the NuGet cache, each
    /// <see langword="null"/> when not found. The CPU library is the one to probe: LibTorch's own <c>torch</c> library
    /// is a stub that does not load it, so it loads even where <c>torch_cpu</c>'s dependencies are missing.
    /// </summary>
    public static (string? TorchCpu, string? LibTorchSharp) Locate(string? projectDirectory, NativePlatform platform)
    {
        if (projectDirectory is not null && Directory.Exists(Path.Combine(projectDirectory, "bin")))
        {
            var built = Directory.EnumerateFiles(Path.Combine(projectDirectory, "bin"), platform.TorchCpuFile, SearchOption.AllDirectories).FirstOrDefault();
            if (built is not null)
            {
                var sharp = Path.Combine(Path.GetDirectoryName(built)!, platform.LibTorchSharpFile);
                return (built, File.Exists(sharp) ? sharp : null);
            }
        }
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return (Newest(cache, $"libtorch-cpu-{platform.Rid}", platform.Rid, platform.TorchCpuFile)
                ?? Newest(cache, $"libtorch-cuda-12.8-{platform.Rid}", platform.Rid, platform.TorchCpuFile),
            Newest(cache, "torchsharp", platform.Rid, platform.LibTorchSharpFile));
    }

    private static string? Newest(string cache, string package, string rid, string file)
    {
        var folder = Path.Combine(cache, package);
        if (!Directory.Exists(folder)) return null;
        return Directory.GetDirectories(folder)
            .OrderByDescending(d => Version.TryParse(Path.GetFileName(d), out var v) ? v : new Version())
            .Select(d => Path.Combine(d, "runtimes", rid, "native", file))
            .FirstOrDefault(File.Exists);
    }
}
