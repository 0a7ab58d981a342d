using System.Runtime.InteropServices;

namespace Lightning;

/// <summary>
/// A GPU's memory and utilisation from the NVIDIA driver's management library (NVML), for
/// <see cref="DeviceStatsMonitor"/>, named as Lightning's <c>get_nvidia_gpu_stats</c> names them. TorchSharp does not
/// expose the caching allocator's statistics (Lightning's <c>torch.cuda.memory_stats</c>), so these are the driver's
/// view: memory held by every process on the GPU. Without the library nothing is added.
/// </summary>
internal static partial class NvmlStats
{
    private const string Library = "nvidia-ml";
    private static readonly Lazy<bool> Initialised = new(() =>
    {
        try
        {
            return nvmlInit_v2() == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    });

    /// <summary>Adds GPU <paramref name="index"/>'s readings to <paramref name="stats"/>, if NVML answers.</summary>
    public static void Read(int index, IDictionary<string, double> stats)
    {
        if (!Initialised.Value || nvmlDeviceGetHandleByIndex_v2((uint)index, out var device) != 0) return;
        const double mib = 1024 * 1024;
        if (nvmlDeviceGetMemoryInfo(device, out var memory) == 0)
        {
            stats["memory.used (MB)"] = memory.Used / mib;
            stats["memory.free (MB)"] = memory.Free / mib;
        }
        if (nvmlDeviceGetUtilizationRates(device, out var utilization) == 0)
        {
            stats["utilization.gpu (%)"] = utilization.Gpu;
            stats["utilization.memory (%)"] = utilization.Memory;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Memory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Utilization
    {
        public uint Gpu;
        public uint Memory;
    }

    [LibraryImport(Library)]
    private static partial int nvmlInit_v2();

    [LibraryImport(Library)]
    private static partial int nvmlDeviceGetHandleByIndex_v2(uint index, out IntPtr device);

    [LibraryImport(Library)]
    private static partial int nvmlDeviceGetMemoryInfo(IntPtr device, out Memory memory);

    [LibraryImport(Library)]
    private static partial int nvmlDeviceGetUtilizationRates(IntPtr device, out Utilization utilization);
}
