using static TorchSharp.torch;

namespace Lightning.Strategies;

/// <summary>
/// The ranks of a data-parallel job and the collectives among them, on tensors (PyTorch's <c>ProcessGroup</c>). Each
/// collective is called by every rank in the same order; none waits longer than <see cref="Timeout"/>.
/// </summary>
internal abstract class ProcessGroup
{
    /// <summary>This process's rank, from 0.</summary>
    public abstract int Rank { get; }

    /// <summary>The number of ranks.</summary>
    public abstract int Size { get; }

    /// <summary>How long a collective waits for the other ranks before it ends the job.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Replaces <paramref name="tensor"/> on every rank with the reduction of all ranks' values, element by element.</summary>
    public abstract void AllReduce(Tensor tensor, Reduce op);

    /// <summary>Replaces <paramref name="tensor"/> on every rank with rank <paramref name="root"/>'s.</summary>
    public abstract void Broadcast(Tensor tensor, int root);

    /// <summary>Every rank's <paramref name="tensor"/> (all of the same shape), stacked along a new first dimension in rank order.</summary>
    public abstract Tensor AllGather(Tensor tensor);

    /// <summary>Returns once every rank has called it.</summary>
    public abstract void Barrier();
}
