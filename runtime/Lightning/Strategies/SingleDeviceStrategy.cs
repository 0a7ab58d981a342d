namespace Lightning.Strategies;

/// <summary>One process trains on one device (Lightning's <c>SingleDeviceStrategy</c>).</summary>
internal sealed class SingleDeviceStrategy : Strategy
{
    /// <param name="device">The device to train on.</param>
    public SingleDeviceStrategy(TorchSharp.torch.Device device) : base(device)
    {
    }

    /// <summary>The index of the one device <paramref name="devices"/> picks.</summary>
    /// <exception cref="ArgumentException">A GPU index on the CPU, or an index that does not exist.</exception>
    public static int DeviceIndex(Accelerators.Accelerator accelerator, DeviceSelection devices)
    {
        if (devices.Indices is not { Count: 1 } indices) return 0;
        if (accelerator is Accelerators.CpuAccelerator)
            throw new ArgumentException($"Devices = [{indices[0]}] picks a GPU by index; on the CPU give Devices = 1.", nameof(TrainerOptions.Devices));
        if (indices[0] >= accelerator.DeviceCount)
            throw new ArgumentOutOfRangeException(nameof(TrainerOptions.Devices), indices[0],
                $"Devices = [{indices[0]}] names a {accelerator.Name} device that does not exist: this process sees {accelerator.DeviceCount} " +
                $"(indices 0 to {accelerator.DeviceCount - 1}).");
        return indices[0];
    }
}
