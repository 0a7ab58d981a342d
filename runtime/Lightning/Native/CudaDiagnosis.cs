using System.Runtime.InteropServices;

namespace Lightning.Native;

/// <summary>Works out why CUDA is not available to LibTorch, and what to do about it, for the error the trainer gives.</summary>
internal static class CudaDiagnosis
{
    // What works on each platform: a PyTorch install's LibTorch only on Linux, CUDA not at all on macOS.
    private static string Fixes(NativePlatform platform) =>
        platform.IsLinux
            ? "Reference TorchSharp-cuda-linux instead of TorchSharp-cpu, or use the LibTorch of a CUDA PyTorch install: set " +
              "TrainerOptions.TorchLibPath or the environment variable " + LibTorch.EnvironmentVariable +
              " to its torch/lib folder, or to \"python\" to ask python3 where it is. Or train on the CPU with Accelerator = \"cpu\"."
            : platform.IsWindows
                ? "Reference TorchSharp-cuda-windows instead of TorchSharp-cpu, or train on the CPU with Accelerator = \"cpu\"."
                : "macOS has no CUDA: train on the Apple GPU with Accelerator = \"mps\", or on the CPU with Accelerator = \"cpu\".";

    /// <summary>A sentence saying why CUDA is unavailable and what to install or reference.</summary>
    public static string Explain() =>
        Explain(NativePlatform.Current, ProcessMaps.PathOf("libtorch_cpu.so"), ProcessMaps.PathOf("libtorch_cuda.so"), LibTorch.Location);

    /// <summary>
    /// The sentence for <paramref name="platform"/>, with LibTorch's CPU and CUDA libraries loaded from these paths (null:
    /// not loaded or not known, which is always so off Linux), and a PyTorch install in use.
    /// </summary>
    internal static string Explain(NativePlatform platform, string? torchCpu, string? torchCuda, string? install)
    {
        if (!platform.IsLinux || torchCpu is null)
            return (platform.IsMacOS
                       ? "LibTorch has no CUDA on macOS. "
                       : "LibTorch reports no CUDA: either no CUDA build of LibTorch is referenced (TorchSharp-cpu has none), or no NVIDIA driver or GPU " +
                         "is present. ") + Fixes(platform);
        if (torchCuda is null && install is not null)
            return $"the LibTorch loaded from the PyTorch install at {install} is a CPU-only build (it has no libtorch_cuda.so). Install a " +
                   "CUDA build of PyTorch there (see pytorch.org for the pip command), or point " + LibTorch.EnvironmentVariable +
                   " at one; or train on the CPU with Accelerator = \"cpu\".";
        if (torchCuda is null)
            return $"the LibTorch this process loaded ({Path.GetDirectoryName(torchCpu)}) is a CPU-only build: no TorchSharp CUDA backend package is " +
                   "referenced and no CUDA LibTorch was located. " + Fixes(platform);
        return Driver() + $" (LibTorch with CUDA was loaded from {Path.GetDirectoryName(torchCuda)}.)";
    }

    private static string Driver()
    {
        if (!NativeLibrary.TryLoad("libcuda.so.1", out var driver))
            return "no NVIDIA driver was found: libcuda.so.1 cannot be loaded. Install the NVIDIA driver; in a container, start it with GPU access " +
                   "(docker run --gpus all).";
        if (!NativeLibrary.TryGetExport(driver, "cuInit", out var initAddress) ||
            !NativeLibrary.TryGetExport(driver, "cuDeviceGetCount", out var countAddress))
            return "the NVIDIA driver library libcuda.so.1 is incomplete (no cuInit); reinstall the driver.";
        var status = Marshal.GetDelegateForFunctionPointer<InitFn>(initAddress)(0);
        if (status != 0)
            return $"the NVIDIA driver failed to start (cuInit returned {ErrorName(driver, status)}). Check nvidia-smi; after a driver update a reboot is often needed.";
        _ = Marshal.GetDelegateForFunctionPointer<CountFn>(countAddress)(out var count);
        if (count == 0)
            return "the NVIDIA driver sees no GPU" +
                   (Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES") is { } visible ? $" (CUDA_VISIBLE_DEVICES={visible} hides the others)" : "") + ".";
        return $"the NVIDIA driver sees {count} GPU(s), but LibTorch could not use them: the driver is probably older than the CUDA version this LibTorch " +
               "was built for (nvidia-smi shows the newest CUDA the driver supports). Update the driver or use a LibTorch built for an older CUDA.";
    }

    private static string ErrorName(IntPtr driver, int status)
    {
        if (!NativeLibrary.TryGetExport(driver, "cuGetErrorName", out var address)) return status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Marshal.GetDelegateForFunctionPointer<ErrorNameFn>(address)(status, out var name) == 0 && Marshal.PtrToStringAnsi(name) is { } text
            ? text
            : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int InitFn(uint flags);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int CountFn(out int count);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int ErrorNameFn(int status, out IntPtr name);
}
