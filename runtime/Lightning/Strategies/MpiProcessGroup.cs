using System.Diagnostics;
using System.Runtime.InteropServices;
using Lightning.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Strategies;

/// <summary>
/// Collectives over MPI's <c>MPI_COMM_WORLD</c>. MPI works on host memory, so tensors on another device are staged
/// through the CPU. MPI has no timeouts: each collective is started nonblocking and polled with <c>MPI_Test</c>
/// against a deadline, and a rank that misses it learns which ranks never arrived before it gives up.
/// </summary>
internal sealed unsafe class MpiProcessGroup : ProcessGroup
{
    // The tag of the messages ranks exchange after a timeout to find out who is missing; collectives use no tags.
    private const int PresenceTag = 0x4c44;

    // How long a rank that timed out listens for the others before it names the missing ones.
    private static readonly TimeSpan PresenceGrace = TimeSpan.FromSeconds(5);

    private readonly MpiLibrary _mpi;
    private long _sequence;

    /// <summary>Joins the job this process was launched in, initialising MPI unless the application already did.</summary>
    public MpiProcessGroup(MpiLibrary mpi)
    {
        _mpi = mpi;
        if (!mpi.IsInitialized)
        {
            mpi.Initialize();
            // MPI expects every rank to finalize; a rank that exits without it makes the launcher report a failure.
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                if (!mpi.IsFinalized) mpi.FinalizeMpi();
            };
        }
        Rank = mpi.WorldRank();
        Size = mpi.WorldSize();
    }

    /// <inheritdoc />
    public override int Rank { get; }

    /// <inheritdoc />
    public override int Size { get; }

    /// <summary>The MPI library this group calls.</summary>
    public MpiLibrary Library => _mpi;

    /// <inheritdoc />
    public override void AllReduce(Tensor tensor, Reduce op)
    {
        using var scope = NewDisposeScope();
        var (work, datatype) = Staged(tensor, NativeReduction(tensor.dtype));
        var handle = op switch
        {
            Reduce.Sum or Reduce.Mean => _mpi.Handles.Sum,
            Reduce.Max => _mpi.Handles.Max,
            Reduce.Min => _mpi.Handles.Min,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "All-reduce takes Sum, Mean, Max or Min."),
        };
        Wait(_mpi.StartAllReduce((void*)TensorAddresses.Data(work), Count(work.numel()), datatype, handle), "all-reduce");
        if (op == Reduce.Mean) work.div_(Size);
        if (!ReferenceEquals(work, tensor)) tensor.copy_(work);
    }

    /// <inheritdoc />
    public override void Broadcast(Tensor tensor, int root)
    {
        using var scope = NewDisposeScope();
        var (work, _) = Staged(tensor, tensor.dtype);
        Wait(_mpi.StartBroadcast((void*)TensorAddresses.Data(work), Count(work.numel() * work.element_size()), _mpi.Handles.Byte, root), "broadcast");
        if (!ReferenceEquals(work, tensor)) tensor.copy_(work);
    }

    /// <inheritdoc />
    public override Tensor AllGather(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var (work, _) = Staged(tensor, tensor.dtype);
        var gathered = empty([Size, .. tensor.shape], tensor.dtype);
        var bytes = Count(work.numel() * work.element_size());
        Wait(_mpi.StartAllGather((void*)TensorAddresses.Data(work), (void*)TensorAddresses.Data(gathered), bytes, _mpi.Handles.Byte), "all-gather");
        return gathered.to(tensor.device).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override void Barrier() => Wait(_mpi.StartBarrier(), "barrier");

    /// <summary>Ends every rank of the job (<c>MPI_Abort</c>); the launcher reports <paramref name="exitCode"/>.</summary>
    public void Abort(int exitCode) => _mpi.Abort(exitCode);

    /// <summary>
    /// The dtype MPI reduces <paramref name="dtype"/> in: the four it has, and float64 for the rest (MPI has no 16-bit
    /// floats, and sums of bytes or booleans would overflow).
    /// </summary>
    private static ScalarType NativeReduction(ScalarType dtype) =>
        dtype is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Int32 or ScalarType.Int64 ? dtype : ScalarType.Float64;

    /// <summary>
    /// The tensor MPI works on: <paramref name="tensor"/> itself when it is a contiguous CPU tensor of <paramref name="dtype"/>,
    /// else a contiguous CPU copy in <paramref name="dtype"/> that the caller copies back. Also the MPI datatype of its elements.
    /// </summary>
    private (Tensor Work, nint Datatype) Staged(Tensor tensor, ScalarType dtype)
    {
        var work = tensor.device_type == DeviceType.CPU && tensor.dtype == dtype && tensor.is_contiguous()
            ? tensor
            : tensor.to(dtype, CPU).contiguous();
        var handles = _mpi.Handles;
        var datatype = dtype switch
        {
            ScalarType.Float32 => handles.Float,
            ScalarType.Float64 => handles.Double,
            ScalarType.Int32 => handles.Int,
            ScalarType.Int64 => handles.LongLong,
            _ => handles.Byte,
        };
        return (work, datatype);
    }

    private static int Count(long elements) =>
        elements <= int.MaxValue ? (int)elements : throw new DistributedException(
            $"A collective over {elements} elements is larger than MPI's int count allows ({int.MaxValue}); split the tensor.");

    /// <summary>Polls <paramref name="request"/> until it completes, or throws once the timeout has passed.</summary>
    private void Wait(nint request, string operation)
    {
        var sequence = ++_sequence;
        var start = Stopwatch.GetTimestamp();
        for (var polls = 0; !_mpi.Test(ref request); polls++)
        {
            // Spinning keeps a short collective fast; a long wait (a rank still validating, say) yields the core.
            if (polls < 2000) continue;
            var waited = Stopwatch.GetElapsedTime(start);
            if (waited > Timeout) throw TimedOut(operation, sequence, waited);
            if (waited.TotalMilliseconds < 100) Thread.Yield();
            else Thread.Sleep(1);
        }
    }

    /// <summary>
    /// The error of a collective that timed out, naming the ranks that never joined it: every rank that timed out tells
    /// every other it is here, and the ranks not heard from within a grace period are the ones the job waited for.
    /// </summary>
    private DistributedException TimedOut(string operation, long sequence, TimeSpan waited)
    {
        var others = Enumerable.Range(0, Size).Where(r => r != Rank).ToArray();
        // Native memory, never freed: a message may still land after this rank has given up, and the job ends next anyway.
        var slots = (long*)NativeMemory.AllocZeroed((nuint)(Size + 1), sizeof(long));
        slots[Size] = sequence;
        var receives = new Dictionary<int, nint>();
        foreach (var rank in others)
        {
            _ = _mpi.StartSend(slots + Size, sizeof(long), rank, PresenceTag);
            receives[rank] = _mpi.StartReceive(slots + rank, sizeof(long), rank, PresenceTag);
        }
        var grace = Stopwatch.StartNew();
        var arrived = new HashSet<int>();
        while (arrived.Count < others.Length && grace.Elapsed < PresenceGrace)
        {
            foreach (var rank in others.Where(r => !arrived.Contains(r)))
            {
                var pending = receives[rank];
                if (_mpi.Test(ref pending)) arrived.Add(rank);
                receives[rank] = pending;
            }
            Thread.Sleep(1);
        }
        var missing = others.Where(r => !arrived.Contains(r)).ToList();
        var who = missing.Count == 0
            ? "every rank answered afterwards, so the ranks reached different collectives (a rank skipped one, or called them in another order)"
            : $"rank{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} never joined it";
        return new DistributedException(
            $"Rank {Rank} waited {waited.TotalSeconds:0.#} s for {operation} #{sequence} of {Size} ranks and gave up: {who}. Look at the " +
            "output of the rank it waited for: it may have failed, hung, or be far slower. Every rank must make the same collective calls in the same order.");
    }
}
