using System.Runtime.InteropServices;

namespace Lightning.Tool.Diagnostics;

/// <summary>Finds the native LibTorch and LibTorchSharp libraries a project will load: its build output first, then the NuGet cache.</summary>
internal static class TorchSharpNatives
{
    /// <summary>The runtime identifier's native folder name, e.g. <c>linux-x64</c>.</summary>
    public static string Rid => RuntimeInformation.RuntimeIdentifier.Split('-') is [var os, .., var arch] ? $"{os}-{arch}" : RuntimeInformation.RuntimeIdentifier;

    private static string LibTorch => OperatingSystem.IsWindows() ? "torch.dll" : OperatingSystem.IsMacOS() ? "libtorch.dylib" : "libtorch.so";

    private static string LibTorchSharp => OperatingSystem.IsWindows() ? "LibTorchSharp.dll" : OperatingSystem.IsMacOS() ? "libLibTorchSharp.dylib" : "libLibTorchSharp.so";

    /// <summary>Paths of LibTorch and LibTorchSharp, from the project's bin folder or the NuGet cache, each <see langword="null"/> when not found.</summary>
    public static (string? LibTorch, string? LibTorchSharp) Locate(string? projectDirectory)
    {
        if (projectDirectory is not null && Directory.Exists(Path.Combine(projectDirectory, "bin")))
        {
            var built = Directory.EnumerateFiles(Path.Combine(projectDirectory, "bin"), LibTorch, SearchOption.AllDirectories).FirstOrDefault();
            if (built is not null)
            {
                var sharp = Path.Combine(Path.GetDirectoryName(built)!, LibTorchSharp);
                return (built, File.Exists(sharp) ? sharp : null);
            }
        }
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return (Newest(cache, $"libtorch-cpu-{Rid}", LibTorch) ?? Newest(cache, $"libtorch-cuda-12.8-{Rid}", LibTorch),
            Newest(cache, "torchsharp", LibTorchSharp));
    }

    private static string? Newest(string cache, string package, string file)
    {
        var folder = Path.Combine(cache, package);
        if (!Directory.Exists(folder)) return null;
        return Directory.GetDirectories(folder)
            .OrderByDescending(d => Version.TryParse(Path.GetFileName(d), out var v) ? v : new Version())
            .Select(d => Path.Combine(d, "runtimes", Rid, "native", file))
            .FirstOrDefault(File.Exists);
    }
}
