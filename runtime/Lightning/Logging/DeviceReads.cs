using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Logging;

/// <summary>
/// The one place logged tensors are read back to the host. On CUDA a read waits for every kernel queued before it,
/// so the logging path reads only when a logger, the progress bar or a callback asks for a value; tests count the
/// reads here to hold it to that.
/// </summary>
internal static class DeviceReads
{
    [ThreadStatic]
    private static long t_count;

    /// <summary>The reads made on this thread so far.</summary>
    public static long Count => t_count;

    /// <summary>Reads a one-element tensor as a number.</summary>
    public static double Read(Tensor value)
    {
        t_count++;
        return value.ToDouble();
    }
}
