namespace Lightning.Native;

/// <summary>Why TorchSharp's native library could not load.</summary>
internal enum NativeFailureCause
{
    /// <summary>The process's libstdc++ is older than the one TorchSharp was built against.</summary>
    LibStdCxxTooOld,

    /// <summary>No LibTorch is there to load: the application references no TorchSharp backend package.</summary>
    BackendMissing,

    /// <summary>Something else; the loader's own message is all there is to go on.</summary>
    Other,
}
