using Lightning.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Accelerators;

/// <summary>NVIDIA GPUs through LibTorch's CUDA build.</summary>
internal sealed class CudaAccelerator : Accelerator
{
    public override string Name => "cuda";

    public override bool IsAvailable => torch.cuda.is_available();

    public override int DeviceCount => IsAvailable ? torch.cuda.device_count() : 0;

    public override string UnavailableReason() => CudaDiagnosis.Explain();

    public override Device Device(int index) => new(DeviceType.CUDA, index);

    /// <summary>
    /// Lets cuBLAS be deterministic, as Lightning does for <c>deterministic=True</c>: with deterministic algorithms on,
    /// LibTorch refuses CUDA matrix products unless <c>CUBLAS_WORKSPACE_CONFIG</c> was set before cuBLAS started. A
    /// value the user set is kept.
    /// </summary>
    public static void PrepareDeterministic()
    {
        const string name = "CUBLAS_WORKSPACE_CONFIG";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) return;
        Environment.SetEnvironmentVariable(name, ":4096:8");
        // .NET keeps its own copy of the environment on Linux and macOS; cuBLAS reads the C library's.
        if (OperatingSystem.IsWindows()) return;
        if (LibC.SetEnv(name, ":4096:8", 1) != 0) throw new InvalidOperationException($"Setting {name} for deterministic cuBLAS failed.");
    }
}
