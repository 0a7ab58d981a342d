namespace Lightning.Native;

/// <summary>
/// TorchSharp's native library cannot load in this process. The message names the cause (an old libstdc++,
/// a missing TorchSharp backend package, or the loader's own complaint) and the fix.
/// </summary>
public sealed class NativeRuntimeException : Exception
{
    /// <summary>Creates the exception with the explanation the user sees.</summary>
    public NativeRuntimeException(string message) : base(message)
    {
    }
}
