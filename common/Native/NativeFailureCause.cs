namespace Lightning.Native;

/// <summary>Why TorchSharp's native library could not load.</summary>
internal enum NativeFailureCause
{
    /// <summary>TorchSharp ships no LibTorch for this platform (Intel macOS, Windows or Linux on arm64).</summary>
    NoLibTorchBuild,

    /// <summary>macOS is older than the one TorchSharp's native library was built for.</summary>
    MacOsTooOld,

    /// <summary>The process's libstdc++ is older than the one TorchSharp was built against (Linux).</summary>
    LibStdCxxTooOld,

    /// <summary>The Visual C++ runtime LibTorch imports is not installed (Windows).</summary>
    VisualCppRuntimeMissing,

    /// <summary>Homebrew's <c>libomp</c>, which LibTorch names by its absolute path, is not installed (macOS).</summary>
    LibompMissing,

    /// <summary>No LibTorch is there to load: the application references no TorchSharp backend package.</summary>
    BackendMissing,

    /// <summary>Something else; the loader's own message is all there is to go on.</summary>
    Other,
}
