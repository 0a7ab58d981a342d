namespace Lightning.Native;

/// <summary>
/// What was found when TorchSharp's native library (LibTorchSharp) failed to load, and what to tell the user.
/// A plain value, so the explanation can be checked for every platform without a broken machine.
/// </summary>
/// <param name="Platform">Where it failed.</param>
/// <param name="LoaderMessage">What the dynamic loader said about LibTorch or LibTorchSharp.</param>
/// <param name="BackendLoaded">Whether LibTorch itself (<c>torch_cpu</c>) loaded.</param>
/// <param name="MissingSystemLibraries">Libraries LibTorch needs from the system that are not there (<see cref="NativePlatform.FindMissingSystemLibraries"/>).</param>
/// <param name="LibStdCxxPath">The libstdc++ the process uses, where one was found (Linux).</param>
/// <param name="LibStdCxxProvidesRequired">Whether that libstdc++ defines <see cref="NativeLibraryCheck.RequiredGlibcxx"/>.</param>
/// <param name="TorchSharpVersion">The version of the TorchSharp package in use, for naming the backend package.</param>
internal sealed record NativeLoadFailure(
    NativePlatform Platform,
    string LoaderMessage,
    bool BackendLoaded,
    IReadOnlyList<string> MissingSystemLibraries,
    string? LibStdCxxPath,
    bool LibStdCxxProvidesRequired,
    string TorchSharpVersion)
{
    /// <summary>
    /// The cause, most specific first: a platform with no build or too old a macOS explains everything after it, and
    /// a missing system library also stops LibTorch itself from loading, so the backend looks missing too.
    /// </summary>
    public NativeFailureCause Cause =>
        !Platform.HasLibTorchBuild ? NativeFailureCause.NoLibTorchBuild
        : Platform.MacOsTooOld ? NativeFailureCause.MacOsTooOld
        : LibStdCxxPath is not null && !LibStdCxxProvidesRequired ? NativeFailureCause.LibStdCxxTooOld
        : Platform.IsWindows && MissingSystemLibraries.Any(NativePlatform.VisualCppRuntime.Contains) ? NativeFailureCause.VisualCppRuntimeMissing
        : Platform.IsMacOS && (MissingSystemLibraries.Contains(NativePlatform.HomebrewLibomp) || LoaderMessage.Contains("libomp.dylib", StringComparison.Ordinal))
            ? NativeFailureCause.LibompMissing
        : !BackendLoaded ? NativeFailureCause.BackendMissing
        : NativeFailureCause.Other;

    /// <summary>The message for the user: the cause, the fix, then the loader's own words.</summary>
    public string Describe()
    {
        const string Cannot = "TorchSharp's native library cannot load";
        var cause = Cause switch
        {
            NativeFailureCause.NoLibTorchBuild =>
                $"{Cannot}: TorchSharp {TorchSharpVersion} has no LibTorch for {Platform.Rid}; it ships one for " +
                $"{string.Join(", ", NativePlatform.Supported)} only.\n" +
                (Platform.IsMacOS
                    ? "Fix: use a Mac with Apple silicon and the arm64 .NET SDK (an x64 .NET under Rosetta cannot load the arm64 LibTorch)."
                    : $"Fix: run on an x64 machine, or an x64 .NET where the system emulates it (Windows on arm64 does); an arm64 process cannot load the x64 LibTorch."),
            NativeFailureCause.MacOsTooOld =>
                $"{Cannot}: this is macOS {Platform.OsVersion.ToString(2)}, and TorchSharp {TorchSharpVersion}'s libLibTorchSharp.dylib " +
                $"needs macOS {NativePlatform.MinimumMacOs.ToString(2)} or newer.\nFix: update macOS to {NativePlatform.MinimumMacOs.ToString(2)} or newer.",
            NativeFailureCause.LibStdCxxTooOld =>
                $"{Cannot}: the C++ runtime this process uses, {LibStdCxxPath}, lacks " +
                $"{NativeLibraryCheck.RequiredGlibcxx}, which TorchSharp {TorchSharpVersion} needs (libstdc++ from GCC 13 or newer).\n" +
                "Fix: install libstdc++6 from GCC 13 or newer with the system's package manager. On Debian 12, run " +
                "eng/install-prerequisites.sh from the Lightning for .NET repository: it installs libstdc++6 from Debian 13 " +
                "and leaves the machine's package sources as they were; eng/native-check.sh then confirms the fix.",
            NativeFailureCause.VisualCppRuntimeMissing =>
                $"{Cannot}: LibTorch needs the Microsoft Visual C++ runtime, and {string.Join(", ", MissingSystemLibraries)} " +
                "could not be loaded; TorchSharp's packages do not ship it.\n" +
                "Fix: install the latest Microsoft Visual C++ Redistributable for x64 (https://aka.ms/vs/17/release/vc_redist.x64.exe, " +
                "or winget install Microsoft.VCRedist.2015+.x64).",
            NativeFailureCause.LibompMissing =>
                $"{Cannot}: LibTorch's libtorch_cpu.dylib loads OpenMP from {NativePlatform.HomebrewLibomp}, Homebrew's libomp, " +
                "which is not installed.\nFix: install Homebrew (https://brew.sh) in its default place, then run: brew install libomp",
            NativeFailureCause.BackendMissing =>
                $"{Cannot}: no LibTorch was found beside the application, so the project references no TorchSharp backend package.\n" +
                $"Fix: add one to the project and build again, for example <PackageReference Include=\"TorchSharp-cpu\" Version=\"{TorchSharpVersion}\" />" +
                (Platform.IsMacOS ? "." : $"; for NVIDIA GPUs use TorchSharp-cuda-{(Platform.IsWindows ? "windows" : "linux")} of the same version."),
            _ =>
                $"{Cannot}; the loader's message below names the file it could not use.\n" +
                "Fix: check that the TorchSharp backend package matches TorchSharp's version " +
                $"({TorchSharpVersion}) and that the application was built for this platform ({Platform.Rid}).",
        };
        return LoaderMessage.Length == 0 ? cause : $"{cause}\nThe loader said: {LoaderDetail(LoaderMessage)}";
    }

    // .NET lists every path it tried for LibTorchSharp; only the lines about anything else tell the cause.
    private static string LoaderDetail(string message)
    {
        var telling = message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("Unable to load shared library", StringComparison.Ordinal)
                && !(line.Contains("LibTorchSharp", StringComparison.Ordinal) && line.EndsWith("cannot open shared object file: No such file or directory", StringComparison.Ordinal)))
            .ToArray();
        return telling.Length == 0 ? message : string.Join('\n', telling);
    }
}
