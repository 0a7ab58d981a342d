namespace Lightning.Bench.Gpu;

/// <summary>
/// Training speed of one framework on one model on the GPU; bench/gpu/pl_bench.py writes the same fields for
/// PyTorch Lightning.
/// </summary>
/// <param name="Framework">"Lightning for .NET", "PyTorch Lightning 2.x", or a hand-written loop: "TorchSharp plain loop", "PyTorch plain loop".</param>
/// <param name="Model">"mlp" (case 1's network) or "conv".</param>
/// <param name="Loader">How batches were made: "batch index_select" (both) or "DataLoader" (PyTorch's per-item loader).</param>
/// <param name="StepsPerSecond">Optimizer steps per second after the warm-up epoch.</param>
/// <param name="Steps">Steps timed.</param>
/// <param name="Seconds">Seconds timed.</param>
/// <param name="LastLoss">Loss of the last batch, to show both trained.</param>
/// <param name="Device">The GPU's name, where known.</param>
/// <param name="Plain">A hand-written loop on the same library, the baseline of a framework's own cost per step.</param>
internal sealed record GpuResult(string Framework, string Model, string Loader, double StepsPerSecond, long Steps, double Seconds, double LastLoss, string Device,
    bool Plain = false)
{
    /// <summary>Milliseconds per optimizer step.</summary>
    public double MillisecondsPerStep => 1000 / StepsPerSecond;
}
