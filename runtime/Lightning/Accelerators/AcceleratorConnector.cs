using Lightning.Strategies;

namespace Lightning.Accelerators;

/// <summary>
/// Turns <c>Accelerator</c>, <c>Devices</c>, the 0.x alias <c>Gpus</c>, <c>Strategy</c> and <c>TorchLibPath</c> into the
/// strategy and device the trainer runs on (Lightning's accelerator connector), failing early with the reason and the fix.
/// </summary>
internal static class AcceleratorConnector
{
    /// <summary>The strategy, with its root device, for these options.</summary>
    /// <exception cref="InvalidOperationException">The accelerator asked for is not available; the message says why and what to install.</exception>
    public static Strategy SelectStrategy(TrainerOptions options)
    {
        LibTorch.Apply(options.TorchLibPath);
        var (name, devices) = WithGpusAlias(options);
        var accelerator = Accelerator.Named(name);
        if (!accelerator.IsAvailable)
            throw new InvalidOperationException(
                $"Accelerator = \"{name}\" was asked for, but {accelerator.Name.ToUpperInvariant()} is not available: {accelerator.UnavailableReason()}");
        if (options.Deterministic && accelerator is CudaAccelerator) CudaAccelerator.PrepareDeterministic();
        return StrategyConnector.Select(options, accelerator, devices);
    }

    // Lightning 0.x: gpus=n is accelerator="gpu", devices=n; gpus=0 is the CPU.
    private static (string Accelerator, DeviceSelection Devices) WithGpusAlias(TrainerOptions options)
    {
        if (options.Gpus is not { } gpus) return (options.Accelerator, options.Devices);
        if (!options.Devices.IsAuto)
            throw new ArgumentException(
                $"TrainerOptions.Gpus = {gpus} and Devices = {options.Devices} were both given; Gpus is the 0.x alias of Accelerator = \"cuda\" with Devices. Give one of them.",
                nameof(TrainerOptions.Gpus));
        if (gpus == 0) return ("cpu", DeviceSelection.Auto);
        if (options.Accelerator.ToLowerInvariant() is not ("auto" or "cuda" or "gpu"))
            throw new ArgumentException(
                $"TrainerOptions.Gpus = {gpus} asks for GPUs, but Accelerator = \"{options.Accelerator}\". Remove one of them.", nameof(TrainerOptions.Gpus));
        return ("cuda", gpus);
    }
}
