using Lightning.Accelerators;

namespace Lightning.Strategies;

/// <summary>
/// Turns <c>Strategy</c>, <c>Devices</c> and <c>NumNodes</c>, with the launcher's environment, into the strategy of this
/// process (Lightning's strategy selection in its accelerator connector).
/// </summary>
internal static class StrategyConnector
{
    private static readonly string[] SingleNames = ["auto", "single_device"];

    // Lightning's DDP flavours that need nothing else: a parameter a step leaves unused gets a zero gradient here anyway.
    private static readonly string[] DdpNames = ["ddp", "ddp_find_unused_parameters_true", "ddp_find_unused_parameters_false"];

    private static readonly string[] Unavailable = ["ddp_spawn", "ddp_fork", "ddp_notebook", "dp", "fsdp", "xla"];

    /// <summary>The strategy for <paramref name="options"/> on <paramref name="accelerator"/>.</summary>
    /// <exception cref="NotSupportedException">A strategy Lightning has and this runtime does not.</exception>
    /// <exception cref="ArgumentException">An unknown strategy, or devices that do not exist.</exception>
    public static Strategy Select(TrainerOptions options, Accelerator accelerator, DeviceSelection devices)
    {
        var name = options.Strategy.ToLowerInvariant();
        if (Unavailable.Contains(name) || name.StartsWith("deepspeed", StringComparison.Ordinal))
            throw new NotSupportedException(
                $"Strategy = \"{options.Strategy}\" is not available in Lightning for .NET. Data-parallel training is Strategy = \"ddp\": one " +
                "process per device, started by mpirun or srun, or by the trainer itself when given Devices = N.");
        var ddp = DdpNames.Contains(name);
        if (!ddp && !SingleNames.Contains(name))
            throw new ArgumentOutOfRangeException(nameof(TrainerOptions.Strategy), options.Strategy,
                $"TrainerOptions.Strategy must be auto, single_device or ddp; it is {options.Strategy}.");

        var cluster = ClusterEnvironment.Detect();
        // An MPI launcher starting several copies says what it wants; Slurm and torchrun variables may be left over from a
        // batch script, so they count only with Strategy = "ddp" (Lightning checks them against Devices the same way).
        var launchedForDdp = cluster is not null && (ddp || cluster.Launcher is "mpirun" or "mpiexec") && cluster.WorldSize > 1;
        var perNode = devices.Indices?.Count ?? devices.Count switch
        {
            0 => launchedForDdp ? Math.Max(1, cluster!.WorldSize / options.NumNodes) : 1,
            -1 => accelerator.DeviceCount,
            var count => count,
        };
        var world = perNode * options.NumNodes;
        if (name == "single_device" && world > 1)
            throw new ArgumentException(
                $"Strategy = \"single_device\" trains on one device, but Devices = {devices} and NumNodes = {options.NumNodes} ask for {world}. " +
                "Use Strategy = \"ddp\" (or \"auto\") to train on several.", nameof(TrainerOptions.Strategy));
        if (ddp || world > 1 || launchedForDdp)
            return DdpStrategy.Create(accelerator, devices, options, world, launchedForDdp || ddp ? cluster : null);
        return new SingleDeviceStrategy(accelerator.Device(SingleDeviceStrategy.DeviceIndex(accelerator, devices)));
    }
}
