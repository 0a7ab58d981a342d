using System.Runtime.InteropServices;

namespace Lightning.Native;

/// <summary>
/// An operating system and processor, and what TorchSharp 0.107's native packages need there. A plain value, so
/// what is said about a platform can be checked on any other; <see cref="Current"/> is the one this process runs on.
/// </summary>
/// <param name="Os">The operating system.</param>
/// <param name="Architecture">The processor architecture of the process (an x64 process under Rosetta is x64).</param>
/// <param name="OsVersion">The operating system's version (on macOS, the macOS version: 15.1 and so on).</param>
internal sealed record NativePlatform(OSPlatform Os, Architecture Architecture, Version OsVersion)
{
    /// <summary>The oldest macOS that <c>libLibTorchSharp.dylib</c> loads on (its <c>LC_BUILD_VERSION</c> minimum).</summary>
    public static readonly Version MinimumMacOs = new(15, 0);

    /// <summary>The absolute path <c>libtorch_cpu.dylib</c> names its OpenMP library by: Homebrew's <c>libomp</c> on Apple silicon.</summary>
    public const string HomebrewLibomp = "/opt/homebrew/opt/libomp/lib/libomp.dylib";

    /// <summary>The Visual C++ runtime libraries LibTorch's Windows build imports and does not ship.</summary>
    public static readonly IReadOnlyList<string> VisualCppRuntime = ["MSVCP140.dll", "VCRUNTIME140.dll", "VCRUNTIME140_1.dll"];

    /// <summary>The environment variable naming a PyTorch install's LibTorch for Lightning to load (Linux only).</summary>
    public const string TorchLibEnvironmentVariable = "LIGHTNING_TORCH_LIB";

    /// <summary>The platforms TorchSharp-cpu ships a LibTorch for, as runtime identifiers.</summary>
    public static readonly IReadOnlyList<string> Supported = ["linux-x64", "win-x64", "osx-arm64"];

    /// <summary>This process's platform.</summary>
    public static NativePlatform Current { get; } = new(
        OperatingSystem.IsWindows() ? OSPlatform.Windows : OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux,
        RuntimeInformation.ProcessArchitecture,
        Environment.OSVersion.Version);

    /// <summary>Whether this is Windows.</summary>
    public bool IsWindows => Os == OSPlatform.Windows;

    /// <summary>Whether this is macOS.</summary>
    public bool IsMacOS => Os == OSPlatform.OSX;

    /// <summary>Whether this is Linux.</summary>
    public bool IsLinux => Os == OSPlatform.Linux;

    /// <summary>The runtime identifier of NuGet's native folders, e.g. <c>linux-x64</c>.</summary>
    public string Rid => $"{(IsWindows ? "win" : IsMacOS ? "osx" : "linux")}-{Architecture.ToString().ToLowerInvariant()}";

    /// <summary>Whether TorchSharp-cpu ships a LibTorch for this platform (Intel Macs and arm64 Windows and Linux have none).</summary>
    public bool HasLibTorchBuild => Supported.Contains(Rid);

    /// <summary>Whether this macOS is older than <see cref="MinimumMacOs"/>; false elsewhere.</summary>
    public bool MacOsTooOld => IsMacOS && OsVersion < MinimumMacOs;

    /// <summary>The file name of LibTorch's CPU library, which holds the functions of <see cref="LibTorchSymbols"/>.</summary>
    public string TorchCpuFile => IsWindows ? "torch_cpu.dll" : IsMacOS ? "libtorch_cpu.dylib" : "libtorch_cpu.so";

    /// <summary>The file name of LibTorch's front library, which TorchSharp's native library links besides the CPU library.</summary>
    public string TorchFile => IsWindows ? "torch.dll" : IsMacOS ? "libtorch.dylib" : "libtorch.so";

    /// <summary>The file name of TorchSharp's own native library.</summary>
    public string LibTorchSharpFile => IsWindows ? "LibTorchSharp.dll" : IsMacOS ? "libLibTorchSharp.dylib" : "libLibTorchSharp.so";

    /// <summary>
    /// Which of the libraries LibTorch needs from outside TorchSharp's packages are missing on this machine: the
    /// Visual C++ runtime on Windows, Homebrew's <c>libomp</c> on macOS; none on Linux.
    /// </summary>
    public IReadOnlyList<string> FindMissingSystemLibraries()
    {
        if (IsWindows) return VisualCppRuntime.Where(name => !NativeLibrary.TryLoad(name, out _)).ToList();
        if (IsMacOS && !File.Exists(HomebrewLibomp)) return [HomebrewLibomp];
        return [];
    }
}
