using System.Diagnostics;
using Lightning.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Strategies;

/// <summary>
/// Collectives on CUDA tensors over NCCL, among the ranks of an MPI job: rank 0's NCCL identity reaches the others
/// over MPI. Work is queued on the default stream LibTorch uses, and each collective waits for it against the
/// timeout by polling the stream (NCCL, like MPI, never gives up by itself).
/// </summary>
internal sealed unsafe class NcclProcessGroup : ProcessGroup
{
    // ncclDataType_t and ncclRedOp_t values of NCCL's C API.
    private const int NcclInt32 = 2, NcclInt64 = 4, NcclFloat16 = 6, NcclFloat32 = 7, NcclFloat64 = 8, NcclBfloat16 = 9, NcclUint8 = 1;
    private const int NcclSum = 0, NcclMax = 2, NcclMin = 3;

    private readonly NcclLibrary _nccl;
    private readonly nint _comm;
    private readonly int _device;

    /// <summary>Joins the NCCL communicator of <paramref name="bootstrap"/>'s ranks on CUDA device <paramref name="device"/>.</summary>
    public NcclProcessGroup(NcclLibrary nccl, MpiProcessGroup bootstrap, int device)
    {
        _nccl = nccl;
        _device = device;
        Rank = bootstrap.Rank;
        Size = bootstrap.Size;
        var id = Rank == 0 ? nccl.NewUniqueId() : default;
        var bytes = new byte[NcclUniqueId.Size];
        new ReadOnlySpan<byte>(id.Bytes, NcclUniqueId.Size).CopyTo(bytes);
        using var shared = tensor(bytes);
        bootstrap.Broadcast(shared, 0);
        shared.data<byte>().CopyTo(bytes, 0);
        bytes.CopyTo(new Span<byte>(id.Bytes, NcclUniqueId.Size));
        _comm = nccl.InitRank(device, Size, id, Rank);
    }

    /// <inheritdoc />
    public override int Rank { get; }

    /// <inheritdoc />
    public override int Size { get; }

    /// <inheritdoc />
    public override void AllReduce(Tensor tensor, Reduce op)
    {
        using var scope = NewDisposeScope();
        var (work, datatype) = Staged(tensor, reducing: true);
        var handle = op switch
        {
            Reduce.Sum or Reduce.Mean => NcclSum,
            Reduce.Max => NcclMax,
            Reduce.Min => NcclMin,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "All-reduce takes Sum, Mean, Max or Min."),
        };
        _nccl.AllReduce((void*)TensorAddresses.Data(work), work.numel(), datatype, handle, _comm);
        Wait("all-reduce");
        if (op == Reduce.Mean) work.div_(Size);
        if (!ReferenceEquals(work, tensor)) tensor.copy_(work);
    }

    /// <inheritdoc />
    public override void Broadcast(Tensor tensor, int root)
    {
        using var scope = NewDisposeScope();
        var (work, _) = Staged(tensor, reducing: false);
        _nccl.Broadcast((void*)TensorAddresses.Data(work), work.numel() * work.element_size(), NcclUint8, root, _comm);
        Wait("broadcast");
        if (!ReferenceEquals(work, tensor)) tensor.copy_(work);
    }

    /// <inheritdoc />
    public override Tensor AllGather(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var (work, _) = Staged(tensor, reducing: false);
        var gathered = empty([Size, .. tensor.shape], tensor.dtype, work.device);
        _nccl.AllGather((void*)TensorAddresses.Data(work), (void*)TensorAddresses.Data(gathered), work.numel() * work.element_size(), NcclUint8, _comm);
        Wait("all-gather");
        return gathered.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override void Barrier()
    {
        using var token = zeros(1, ScalarType.Float32, new Device(DeviceType.CUDA, _device));
        AllReduce(token, Reduce.Sum);
    }

    /// <summary>The contiguous CUDA tensor NCCL works on, and its NCCL datatype (bytes when not reducing).</summary>
    private static (Tensor Work, int Datatype) Staged(Tensor tensor, bool reducing)
    {
        if (tensor.device_type != DeviceType.CUDA)
            throw new ArgumentException($"NCCL works on CUDA tensors; this one is on {tensor.device}.", nameof(tensor));
        var native = tensor.dtype switch
        {
            ScalarType.Float32 => NcclFloat32,
            ScalarType.Float64 => NcclFloat64,
            ScalarType.Float16 => NcclFloat16,
            ScalarType.BFloat16 => NcclBfloat16,
            ScalarType.Int32 => NcclInt32,
            ScalarType.Int64 => NcclInt64,
            _ => -1,
        };
        if (reducing && native < 0) return (tensor.to(ScalarType.Float64).contiguous(), NcclFloat64);
        return (tensor.is_contiguous() ? tensor : tensor.contiguous(), native < 0 ? NcclUint8 : native);
    }

    private void Wait(string operation)
    {
        var start = Stopwatch.GetTimestamp();
        while (!_nccl.Done(_comm))
        {
            var waited = Stopwatch.GetElapsedTime(start);
            if (waited > Timeout)
            {
                _nccl.Abort(_comm);
                throw new DistributedException(
                    $"Rank {Rank} waited {waited.TotalSeconds:0.#} s for an NCCL {operation} of {Size} ranks and gave up: another rank never " +
                    "joined it. Look at the other ranks' output: one may have failed, hung, or be far slower.");
            }
            Thread.Yield();
        }
    }
}
