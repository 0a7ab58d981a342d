namespace Lightning.Native;

/// <summary>
/// What was found when TorchSharp's native library (LibTorchSharp) failed to load, and what to tell the user.
/// A plain value, so the explanation can be checked without a broken machine.
/// </summary>
/// <param name="LoaderMessage">What the dynamic loader said about LibTorchSharp.</param>
/// <param name="BackendLoaded">Whether LibTorch itself (<c>torch_cpu</c>) loaded.</param>
/// <param name="LibStdCxxPath">The libstdc++ the process uses, where one was found.</param>
/// <param name="LibStdCxxProvidesRequired">Whether that libstdc++ defines <see cref="NativeLibraryCheck.RequiredGlibcxx"/>.</param>
/// <param name="TorchSharpVersion">The version of the TorchSharp package in use, for naming the backend package.</param>
internal sealed record NativeLoadFailure(
    string LoaderMessage,
    bool BackendLoaded,
    string? LibStdCxxPath,
    bool LibStdCxxProvidesRequired,
    string TorchSharpVersion)
{
    /// <summary>The cause, most specific first: an old libstdc++ also stops LibTorch itself from loading.</summary>
    public NativeFailureCause Cause =>
        LibStdCxxPath is not null && !LibStdCxxProvidesRequired ? NativeFailureCause.LibStdCxxTooOld
        : !BackendLoaded ? NativeFailureCause.BackendMissing
        : NativeFailureCause.Other;

    /// <summary>The message for the user: the cause, the fix, then the loader's own words.</summary>
    public string Describe()
    {
        var cause = Cause switch
        {
            NativeFailureCause.LibStdCxxTooOld =>
                $"TorchSharp's native library cannot load: the C++ runtime this process uses, {LibStdCxxPath}, lacks " +
                $"{NativeLibraryCheck.RequiredGlibcxx}, which TorchSharp {TorchSharpVersion} needs (libstdc++ from GCC 13 or newer).\n" +
                "Fix: install libstdc++6 from GCC 13 or newer with the system's package manager. On Debian 12, run " +
                "eng/install-prerequisites.sh from the Lightning for .NET repository: it installs libstdc++6 from Debian 13 " +
                "and leaves the machine's package sources as they were; eng/native-check.sh then confirms the fix.",
            NativeFailureCause.BackendMissing =>
                "TorchSharp's native library cannot load: no LibTorch was found beside the application, so the project " +
                "references no TorchSharp backend package.\n" +
                $"Fix: add one to the project and build again, for example <PackageReference Include=\"TorchSharp-cpu\" Version=\"{TorchSharpVersion}\" />; " +
                "for NVIDIA GPUs use TorchSharp-cuda-linux or TorchSharp-cuda-windows of the same version.",
            _ =>
                "TorchSharp's native library cannot load; the loader's message below names the file it could not use.\n" +
                "Fix: check that the TorchSharp backend package matches TorchSharp's version " +
                $"({TorchSharpVersion}) and that the application was built for this platform.",
        };
        return $"{cause}\nThe loader said: {LoaderDetail(LoaderMessage)}";
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
