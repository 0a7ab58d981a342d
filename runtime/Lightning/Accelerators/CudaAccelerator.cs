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
}
