using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Accelerators;

/// <summary>Apple silicon GPUs through Metal Performance Shaders.</summary>
internal sealed class MpsAccelerator : Accelerator
{
    public override string Name => "mps";

    public override bool IsAvailable => torch.mps_is_available();

    public override int DeviceCount => IsAvailable ? 1 : 0;

    public override string UnavailableReason() =>
        "MPS needs macOS on Apple silicon (an M-series Mac) and TorchSharp's osx-arm64 LibTorch (TorchSharp-cpu provides it there). " +
        "Use Accelerator = \"cpu\" or \"auto\".";

    public override Device Device(int index) => MPS;
}
