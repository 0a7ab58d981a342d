using System.Text;
using Lightning.Accelerators;
using Lightning.Native;
using Lightning.Optimizers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning.Strategies;

/// <summary>
/// Data-parallel training (Lightning's <c>DDPStrategy</c>): one process per device, each with a whole copy of the
/// module and its own shard of the data. Rank 0's weights are broadcast at the start, and after each backward
/// whose gradients a step uses, the gradients are averaged over all ranks in one flat buffer per dtype (<see cref="FlatGradients"/>), so every rank
/// takes the same step. Buffers (BatchNorm's running statistics) come from rank 0 before each training step, as
/// DDP's <c>broadcast_buffers</c> does; with <see cref="TrainerOptions.SyncBatchnorm"/>, BatchNorm layers normalise over
/// all ranks' batches (<see cref="SyncBatchNorm"/>). With one process it is the single-device strategy.
/// </summary>
internal sealed class DdpStrategy : Strategy
{
    private readonly ClusterEnvironment? _cluster;
    private readonly MpiProcessGroup? _group;
    private readonly bool _syncBatchnorm;
    private IReadOnlyList<SyncBatchNorm> _syncedNorms = [];
    private bool _syncedNormsChecked;
    private ProcessGroup? _cudaGroup;
    private IReadOnlyList<FlatGradients> _gradients = [];
    private LightningModule? _gradientsOwner;
    private int _optimizerBufferCount;

    private DdpStrategy(Device device, ClusterEnvironment? cluster, MpiProcessGroup? group, bool syncBatchnorm) : base(device)
    {
        _cluster = cluster;
        _group = group;
        _syncBatchnorm = syncBatchnorm;
    }

    /// <inheritdoc />
    public override int GlobalRank => _group?.Rank ?? 0;

    /// <inheritdoc />
    public override int LocalRank => _cluster?.LocalRank ?? 0;

    /// <inheritdoc />
    public override int NodeRank => _cluster?.NodeRank ?? 0;

    /// <inheritdoc />
    public override int WorldSize => _group?.Size ?? 1;

    /// <summary>
    /// The strategy of this process in a job of <paramref name="world"/> processes. Started by a launcher
    /// (<paramref name="cluster"/>), it joins the job; started alone with several processes wanted, it starts them
    /// under <c>mpirun</c> and never returns.
    /// </summary>
    public static DdpStrategy Create(Accelerator accelerator, DeviceSelection devices, TrainerOptions options, int world, ClusterEnvironment? cluster)
    {
        var numNodes = options.NumNodes;
        if (cluster is null)
        {
            if (world == 1) return new DdpStrategy(accelerator.Device(SingleDeviceStrategy.DeviceIndex(accelerator, devices)), null, null, false);
            if (numNodes > 1)
                throw new InvalidOperationException(
                    $"NumNodes = {numNodes}: the processes on several machines are started by a launcher, which this process was not started by. " +
                    $"Start {world} processes with mpirun (-np {world} with a host file naming the machines) or srun; the trainer starts processes itself only on one machine.");
            MpiLauncher.RunSelf(world);
        }
        if (cluster.WorldSize != world)
            throw new ArgumentException(
                $"{cluster.Launcher} started {cluster.WorldSize} processes, but Devices = {devices} on each of NumNodes = {numNodes} machines makes {world}. " +
                "Start as many processes as Devices × NumNodes, or leave Devices at \"auto\" to take the launcher's count.", nameof(TrainerOptions.Devices));
        var group = cluster.WorldSize > 1 ? new MpiProcessGroup(MpiLibrary.Load(), cluster, options.DistributedTimeout) : null;
        if (group is not null && group.Size != cluster.WorldSize)
            throw new DistributedException(
                $"{cluster.Launcher}'s variables say this is rank {cluster.GlobalRank} of {cluster.WorldSize}, but MPI sees {group.Size} process{(group.Size == 1 ? "" : "es")}. " +
                "Start the processes with the launcher of the MPI library this process loads (mpirun of the same Open MPI or MPICH).");
        var index = devices.Indices is { } indices ? indices[cluster.LocalRank % indices.Count] : cluster.LocalRank;
        var device = accelerator is CpuAccelerator ? CPU : accelerator.Device(CheckedIndex(accelerator, index, cluster));
        return new DdpStrategy(device, cluster, group, options.SyncBatchnorm);
    }

    private static int CheckedIndex(Accelerator accelerator, int index, ClusterEnvironment cluster) =>
        index < accelerator.DeviceCount ? index : throw new ArgumentOutOfRangeException(nameof(TrainerOptions.Devices), index,
            $"Local rank {cluster.LocalRank} would train on {accelerator.Name} device {index}, but this machine has {accelerator.DeviceCount}. " +
            "Start at most one process per device on each machine.");

    /// <inheritdoc />
    public override void Setup(LightningModule module)
    {
        ReleaseGradients();
        if (_group is null) return;
        if (RootDevice.type == DeviceType.CUDA) _cudaGroup ??= CudaGroup(_group, RootDevice.index);
        foreach (var norm in _syncedNorms) norm.Dispose();
        _syncedNorms = _syncBatchnorm ? SyncBatchNorm.Convert(module, this) : [];
        _syncedNormsChecked = false;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        BroadcastFlat([.. module.parameters(), .. module.buffers()]);
    }

    /// <inheritdoc />
    public override void BeforeTrainingStep(LightningModule module)
    {
        if (_group is null) return;
        var buffers = module.buffers().ToList();
        if (buffers.Count == 0) return;
        using (NewDisposeScope())
        using (no_grad())
            BroadcastFlat(buffers);
        if (!_syncedNormsChecked)
            foreach (var norm in _syncedNorms) norm.Watch();
    }

    /// <summary>
    /// The loss over the number of ranks, so that summing the gradients across ranks averages them: dividing one number
    /// here costs less than dividing every gradient after the sum. Inside an accumulation window the local gradients
    /// are therefore already divided by the number of ranks.
    /// </summary>
    public override Tensor LossForBackward(Tensor loss) => _group is null ? loss : loss / WorldSize;

    /// <inheritdoc />
    public override void SyncGradients(LightningModule module, IEnumerable<Optimizer> optimizers)
    {
        if (_group is null) return;
        if (!_syncedNormsChecked)
        {
            // Once, after the first step: a layer run past its hooks would otherwise go unsynchronised unnoticed.
            foreach (var norm in _syncedNorms) norm.CheckCalled();
            _syncedNormsChecked = true;
        }
        // A multi-tensor optimizer's own gradient buffers are reduced as they are; the other gradients get buffers here.
        var optimizerBuffers = optimizers.OfType<IMultiTensorOptimizer>().SelectMany(o => o.FlatGradients).ToList();
        if (!ReferenceEquals(_gradientsOwner, module) || _optimizerBufferCount != optimizerBuffers.Count)
        {
            ReleaseGradients();
            var covered = optimizerBuffers.SelectMany(f => f.Parameters).ToHashSet(ReferenceEqualityComparer.Instance);
            _gradients = FlatGradients.ByKind(module.parameters().Where(p => p.requires_grad && !covered.Contains(p)));
            _gradientsOwner = module;
            _optimizerBufferCount = optimizerBuffers.Count;
        }
        foreach (var flat in optimizerBuffers.Concat(_gradients))
        {
            // A gradient dropped by zero-grad (on CUDA) or never made (a parameter the step left unused) is taken back in.
            flat.Attach();
            GroupFor(flat.Buffer).AllReduce(flat.Buffer, Lightning.Reduce.Sum);
        }
    }

    /// <inheritdoc />
    public override void Reduce(Tensor tensor, Reduce op)
    {
        if (_group is not null) GroupFor(tensor).AllReduce(tensor, op);
    }

    /// <inheritdoc />
    public override bool ReduceBooleanDecision(bool decision, bool all = true)
    {
        if (_group is null) return decision;
        using var flag = tensor(decision ? 1 : 0);
        _group.AllReduce(flag, all ? Lightning.Reduce.Min : Lightning.Reduce.Max);
        return flag.item<int>() == 1;
    }

    /// <inheritdoc />
    public override string Broadcast(string value)
    {
        if (_group is null) return value;
        using var length = tensor((long)Encoding.UTF8.GetByteCount(value));
        _group.Broadcast(length, 0);
        using var bytes = IsGlobalZero ? tensor(Encoding.UTF8.GetBytes(value)) : zeros(length.item<long>(), ScalarType.Byte);
        _group.Broadcast(bytes, 0);
        return Encoding.UTF8.GetString(bytes.data<byte>().ToArray());
    }

    /// <inheritdoc />
    public override bool Broadcast(bool value)
    {
        if (_group is null) return value;
        using var flag = tensor(value ? 1 : 0);
        _group.Broadcast(flag, 0);
        return flag.item<int>() == 1;
    }

    /// <inheritdoc />
    public override Tensor AllGather(Tensor tensor) => _group is null ? base.AllGather(tensor) : GroupFor(tensor).AllGather(tensor);

    /// <inheritdoc />
    public override void Barrier() => _group?.Barrier();

    /// <inheritdoc />
    public override void OnFailure(Exception exception)
    {
        _group?.AbortWith(exception);
    }

    /// <summary>Rank 0's values of <paramref name="tensors"/> on every rank, one broadcast per dtype.</summary>
    private void BroadcastFlat(IReadOnlyList<Tensor> tensors)
    {
        foreach (var sameType in tensors.GroupBy(t => t.dtype))
        {
            var members = sameType.ToList();
            var flat = cat(members.Select(t => t.reshape(-1)).ToList());
            GroupFor(flat).Broadcast(flat, 0);
            long offset = 0;
            foreach (var member in members)
            {
                member.copy_(flat.narrow(0, offset, member.numel()).view_as(member));
                offset += member.numel();
            }
        }
    }

    /// <summary>NCCL for CUDA tensors where it is set up, MPI for the rest.</summary>
    private ProcessGroup GroupFor(Tensor tensor) => tensor.device_type == DeviceType.CUDA && _cudaGroup is not null ? _cudaGroup : _group!;

    /// <summary>NCCL among the ranks on CUDA device <paramref name="device"/>, or, where NCCL is missing, MPI through host memory.</summary>
    private static ProcessGroup CudaGroup(MpiProcessGroup group, int device)
    {
        try
        {
            return new NcclProcessGroup(NcclLibrary.Load(), group, device) { Timeout = group.Timeout };
        }
        catch (DistributedException e)
        {
            if (group.Rank == 0) Output.Warn($"{e.Message} Until then, CUDA tensors go through host memory over MPI, which is slower.");
            return group;
        }
    }

    private void ReleaseGradients()
    {
        foreach (var flat in _gradients) flat.Dispose();
        _gradients = [];
        _gradientsOwner = null;
    }
}
