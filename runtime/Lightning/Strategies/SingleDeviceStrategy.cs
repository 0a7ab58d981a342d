namespace Lightning.Strategies;

/// <summary>
/// The one strategy there is: one process trains on one device (Lightning's <c>SingleDeviceStrategy</c>). The
/// multi-device strategies (DDP, FSDP, DeepSpeed) need <c>torch.distributed</c>, which TorchSharp does not have, so
/// asking for them, or for several devices, is an error that says so rather than a silent single-device run.
/// </summary>
internal static class SingleDeviceStrategy
{
    private static readonly string[] Names = ["auto", "single_device"];

    private static readonly string[] Distributed =
        ["ddp", "ddp_spawn", "ddp_fork", "ddp_notebook", "ddp_find_unused_parameters_true", "ddp_find_unused_parameters_false", "dp", "fsdp", "deepspeed", "xla"];

    /// <summary>The index of the device to train on, from <c>Strategy</c> and <c>Devices</c>.</summary>
    /// <exception cref="NotSupportedException">Several devices or a distributed strategy were asked for.</exception>
    /// <exception cref="ArgumentException">The strategy is unknown, or the device index does not exist.</exception>
    public static int DeviceIndex(string strategy, Accelerators.Accelerator accelerator, DeviceSelection devices)
    {
        if (Distributed.Contains(strategy, StringComparer.OrdinalIgnoreCase) || strategy.StartsWith("deepspeed", StringComparison.OrdinalIgnoreCase))
            throw new NotSupportedException(
                $"Strategy = \"{strategy}\" spreads training over processes with torch.distributed, which TorchSharp does not have; Lightning for .NET " +
                "trains on one device per process. Use Strategy = \"auto\" (or \"single_device\").");
        if (!Names.Contains(strategy, StringComparer.OrdinalIgnoreCase))
            throw new ArgumentOutOfRangeException(nameof(TrainerOptions.Strategy), strategy, $"TrainerOptions.Strategy must be auto or single_device; it is {strategy}.");
        if (devices.IsAuto) return 0;
        if (devices.Indices is { Count: 1 } indices)
        {
            if (accelerator is Accelerators.CpuAccelerator)
                throw new ArgumentException($"Devices = [{indices[0]}] picks a GPU by index; on the CPU give Devices = 1.", nameof(TrainerOptions.Devices));
            if (indices[0] >= accelerator.DeviceCount)
                throw new ArgumentOutOfRangeException(nameof(TrainerOptions.Devices), indices[0],
                    $"Devices = [{indices[0]}] names a {accelerator.Name} device that does not exist: this process sees {accelerator.DeviceCount} " +
                    $"(indices 0 to {accelerator.DeviceCount - 1}).");
            return indices[0];
        }
        var wanted = devices.Indices?.Count ?? (devices.Count == -1 ? accelerator.DeviceCount : devices.Count);
        if (wanted == 1) return 0;
        throw new NotSupportedException(
            $"Devices = {devices} asks for {wanted} {accelerator.Name} devices, but Lightning for .NET trains on one device per process: spreading a run " +
            "over devices needs torch.distributed (Lightning's DDP), which TorchSharp does not have. Use Devices = 1, or a list of one index " +
            "(new[] { 1 }) to pick the GPU.");
    }
}
