using Lightning.Native;
using static TorchSharp.torch;

namespace Lightning.Accelerators;

/// <summary>Apple silicon GPUs through Metal Performance Shaders.</summary>
internal sealed class MpsAccelerator : Accelerator
{
    public override string Name => "mps";

    // TorchSharp's mps_is_available only says whether this is Apple silicon; LibTorch knows whether Metal works here.
    public override bool IsAvailable => OperatingSystem.IsMacOS() && LibTorchContext.MpsIsAvailable;

    public override int DeviceCount => IsAvailable ? 1 : 0;

    public override string UnavailableReason() =>
        "MPS needs macOS on Apple silicon (an M-series Mac) with a GPU LibTorch can use through Metal, and TorchSharp's osx-arm64 LibTorch " +
        "(TorchSharp-cpu provides it there); LibTorch reports none here. " +
        "Use Accelerator = \"cpu\" or \"auto\".";

    public override Device Device(int index) => MPS;
}
