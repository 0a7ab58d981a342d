using static TorchSharp.torch;

namespace Lightning.Strategies;

/// <summary>
/// What depends on how many processes train (Lightning's <c>Strategy</c>): the device this process uses, its rank,
/// the collectives among ranks, keeping the ranks' weights equal, and what only global rank 0 does. The loops and
/// callbacks ask the strategy; only a strategy talks to MPI or NCCL. This base is one process on one device, where
/// every collective is the identity.
/// </summary>
internal abstract class Strategy
{
    /// <param name="rootDevice">The device this process trains on.</param>
    protected Strategy(Device rootDevice) => RootDevice = rootDevice;

    /// <summary>The device this process puts the module and batches on.</summary>
    public Device RootDevice { get; }

    /// <summary>The rank of this process among all processes.</summary>
    public virtual int GlobalRank => 0;

    /// <summary>The rank of this process among the processes on its machine.</summary>
    public virtual int LocalRank => 0;

    /// <summary>The index of this process's machine.</summary>
    public virtual int NodeRank => 0;

    /// <summary>The number of processes.</summary>
    public virtual int WorldSize => 1;

    /// <summary>Whether this process is global rank 0, which alone writes files and prints.</summary>
    public bool IsGlobalZero => GlobalRank == 0;

    /// <summary>Called once the module is on <see cref="RootDevice"/>: every rank starts from the same weights.</summary>
    public virtual void Setup(LightningModule module)
    {
    }

    /// <summary>Called before each training step's forward pass.</summary>
    public virtual void BeforeTrainingStep(LightningModule module)
    {
    }

    /// <summary>The loss a backward pass starts from, for <see cref="SyncGradients"/> to finish the average with a sum.</summary>
    public virtual Tensor LossForBackward(Tensor loss) => loss;

    /// <summary>
    /// Called after a backward pass whose gradients the optimizer will use: averages the gradients of
    /// <paramref name="module"/>, which <paramref name="optimizers"/> step, across ranks.
    /// </summary>
    public virtual void SyncGradients(LightningModule module, IEnumerable<TorchSharp.torch.optim.Optimizer> optimizers)
    {
    }

    /// <summary>Reduces <paramref name="tensor"/> across ranks, in place.</summary>
    public virtual void Reduce(Tensor tensor, Reduce op)
    {
    }

    /// <summary>The reduction of every rank's <paramref name="value"/>.</summary>
    public double Reduce(double value, Reduce op)
    {
        if (WorldSize == 1) return value;
        using var reduced = tensor(value, ScalarType.Float64);
        Reduce(reduced, op);
        return reduced.item<double>();
    }

    /// <summary>
    /// Whether <paramref name="decision"/> holds on every rank (<paramref name="all"/>) or on any, so that every rank
    /// acts on the same answer (Lightning's <c>reduce_boolean_decision</c>).
    /// </summary>
    public virtual bool ReduceBooleanDecision(bool decision, bool all = true) => decision;

    /// <summary>Rank 0's <paramref name="value"/>, on every rank.</summary>
    public virtual string Broadcast(string value) => value;

    /// <summary>Rank 0's <paramref name="value"/>, on every rank.</summary>
    public virtual bool Broadcast(bool value) => value;

    /// <summary>Every rank's <paramref name="tensor"/>, stacked along a new first dimension in rank order.</summary>
    public virtual Tensor AllGather(Tensor tensor) => tensor.unsqueeze(0);

    /// <summary>Returns once every rank has called it.</summary>
    public virtual void Barrier()
    {
    }

    /// <summary>
    /// Called when a run fails on this rank, after the callbacks and loggers heard of it. With several ranks, the
    /// others would wait forever for this one, so a strategy with several ranks ends them all here.
    /// </summary>
    public virtual void OnFailure(Exception exception)
    {
    }
}
