using static TorchSharp.torch;

namespace Lightning.Accelerators;

/// <summary>A kind of hardware the trainer can run on (Lightning's <c>Accelerator</c>): whether it is here, how many devices, which device.</summary>
internal abstract class Accelerator
{
    /// <summary>The <c>Accelerator</c> value naming it.</summary>
    public abstract string Name { get; }

    /// <summary>Whether this process can use it.</summary>
    public abstract bool IsAvailable { get; }

    /// <summary>How many devices of this kind the process sees.</summary>
    public abstract int DeviceCount { get; }

    /// <summary>Why it is not available and what to do, as a sentence that completes "… is not available: ".</summary>
    public abstract string UnavailableReason();

    /// <summary>The device with this index.</summary>
    public abstract Device Device(int index);

    /// <summary>The accelerator an <c>Accelerator</c> value names (<c>"gpu"</c> is CUDA); <c>"auto"</c> picks CUDA, then MPS, then CPU.</summary>
    public static Accelerator Named(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => new CpuAccelerator(),
        "cuda" or "gpu" => new CudaAccelerator(),
        "mps" => new MpsAccelerator(),
        "auto" => new Accelerator[] { new CudaAccelerator(), new MpsAccelerator() }.FirstOrDefault(a => a.IsAvailable) ?? new CpuAccelerator(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Accelerator must be auto, cpu, cuda, gpu or mps."),
    };
}
