using static TorchSharp.torch;

namespace Lightning.Accelerators;

/// <summary>The CPU: always there, one device per process (LibTorch uses the cores through its thread pool).</summary>
internal sealed class CpuAccelerator : Accelerator
{
    public override string Name => "cpu";

    public override bool IsAvailable => true;

    public override int DeviceCount => 1;

    public override string UnavailableReason() => "";

    public override Device Device(int index) => CPU;
}
