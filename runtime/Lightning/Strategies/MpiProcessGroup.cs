using System.Diagnostics;
using System.Runtime.InteropServices;
using Lightning.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Strategies;

/// <summary>
/// Collectives over MPI: over <c>MPI_COMM_WORLD</c> when an MPI launcher started the job, or over the communicator
/// <see cref="SingletonRendezvous"/> joins when MPI sees each process alone (torchrun's variables, srun without PMI).
/// MPI works on host memory, so tensors on another device are staged through the CPU. MPI has no timeouts, and its
/// nonblocking collectives (polled against a deadline) took twice as long as the blocking ones here: so the blocking
/// calls are used, and a watchdog thread ends the job when one has waited longer than <see cref="ProcessGroup.Timeout"/>,
/// naming the ranks that never arrived.
/// </summary>
internal sealed unsafe class MpiProcessGroup : ProcessGroup
{
    // The tag of the messages ranks exchange after a timeout to find out who is missing; collectives use no tags.
    private const int PresenceTag = 0x4c44;

    // The tag of the message a failing rank sends every other where MPI_Abort ends only the caller (joined singletons).
    private const int FailureTag = 0x4c45;

    // How long a failing rank lets its failure messages leave before it aborts.
    private static readonly TimeSpan FailureGrace = TimeSpan.FromSeconds(2);

    // How long a rank that timed out listens for the others before it names the missing ones.
    private static readonly TimeSpan PresenceGrace = TimeSpan.FromSeconds(5);

    private readonly MpiLibrary _mpi;
    private readonly nint _comm;
    private readonly bool _threadMultiple;
    private readonly Lazy<Thread> _watchdog;
    private long _sequence;
    // The collective under way: its start (a Stopwatch timestamp, 0 when none), number and name, for the watchdog.
    private long _waitingSince;
    private long _waitingSequence;
    private string _waitingFor = "";
    private Func<TimeSpan, DistributedException>? _waitingError;
    // Set once the ranks are joined where an abort ends only this process: the watchdog then listens for others' failures.
    private volatile bool _tellsFailures;
    // Held while the watchdog calls MPI, and by finalization, after which it calls MPI no more.
    private readonly Lock _gate = new();
    private bool _finalized;

    /// <summary>
    /// Joins the job <paramref name="cluster"/> describes, initialising MPI unless the application already did, with
    /// <paramref name="timeout"/> for every collective (and for joining, where MPI sees each process alone).
    /// </summary>
    public MpiProcessGroup(MpiLibrary mpi, ClusterEnvironment cluster, TimeSpan timeout)
    {
        _mpi = mpi;
        Timeout = timeout;
        _watchdog = new Lazy<Thread>(() =>
        {
            var thread = new Thread(Watch) { IsBackground = true, Name = "Lightning MPI watchdog" };
            thread.Start();
            return thread;
        });
        // Processes MPI sees alone are singletons, joined after MPI_Init with what Prepare sets up before it.
        using var rendezvous = cluster.Singletons && cluster.WorldSize > 1
            ? mpi.IsInitialized
                ? throw new DistributedException($"MPI was initialised before the Trainer was made, so processes started by {cluster.Launcher} without an MPI launcher cannot join; make the Trainer first.")
                : SingletonRendezvous.Prepare(mpi, cluster, timeout, Environment.GetEnvironmentVariable)
            : null;
        if (!mpi.IsInitialized)
        {
            _threadMultiple = mpi.Initialize();
            // MPI expects every rank to finalize; a rank that exits without it makes the launcher report a failure.
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                lock (_gate)
                {
                    _finalized = true;
                    if (!mpi.IsFinalized) mpi.FinalizeMpi();
                }
            };
        }
        _comm = mpi.Handles.CommWorld;
        if (rendezvous is not null)
        {
            Rank = cluster.GlobalRank;
            Size = cluster.WorldSize;
            _comm = rendezvous.Join((call, timedOut) => Guarded("joining", call, timedOut));
            _tellsFailures = _threadMultiple;
        }
        Rank = mpi.Rank(_comm);
        Size = mpi.Size(_comm);
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
        Guarded("all-reduce", () => _mpi.AllReduce((void*)TensorAddresses.Data(work), Count(work.numel()), datatype, handle, _comm));
        if (op == Reduce.Mean) work.div_(Size);
        if (!ReferenceEquals(work, tensor)) tensor.copy_(work);
    }

    /// <inheritdoc />
    public override void Broadcast(Tensor tensor, int root)
    {
        using var scope = NewDisposeScope();
        var (work, _) = Staged(tensor, tensor.dtype);
        Guarded("broadcast", () => _mpi.Broadcast((void*)TensorAddresses.Data(work), Count(work.numel() * work.element_size()), _mpi.Handles.Byte, root, _comm));
        if (!ReferenceEquals(work, tensor)) tensor.copy_(work);
    }

    /// <inheritdoc />
    public override Tensor AllGather(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var (work, _) = Staged(tensor, tensor.dtype);
        var gathered = empty([Size, .. tensor.shape], tensor.dtype);
        var bytes = Count(work.numel() * work.element_size());
        Guarded("all-gather", () => _mpi.AllGather((void*)TensorAddresses.Data(work), (void*)TensorAddresses.Data(gathered), bytes, _mpi.Handles.Byte, _comm));
        return gathered.to(tensor.device).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override void Barrier() => Guarded("barrier", () => _mpi.Barrier(_comm));

    /// <summary>
    /// Ends every rank of the job (<c>MPI_Abort</c>) after saying why on standard error: the launcher prints that the
    /// job was aborted, not why.
    /// </summary>
    public void AbortWith(Exception exception)
    {
        Output.Error.WriteLine($"Rank {Rank} of {Size} failed, which ends every rank: {exception}");
        Output.Error.Flush();
        if (_tellsFailures) TellFailure();
        _mpi.Abort(_comm, 1);
    }

    /// <summary>
    /// Tells every other rank that this one fails, where <c>MPI_Abort</c> ends only this process: their watchdogs end them
    /// (see <see cref="FailureReceives"/>). Waits a moment for the messages to leave, not for the others to read them.
    /// </summary>
    private void TellFailure()
    {
        // Native memory, never freed: the process ends next.
        var rank = (int*)NativeMemory.Alloc(sizeof(int));
        *rank = Rank;
        var sends = Enumerable.Range(0, Size).Where(r => r != Rank).Select(r => _mpi.StartSend(rank, sizeof(int), r, FailureTag, _comm)).ToList();
        var grace = Stopwatch.StartNew();
        while (sends.Count > 0 && grace.Elapsed < FailureGrace)
        {
            for (var i = sends.Count - 1; i >= 0; i--)
            {
                var pending = sends[i];
                if (_mpi.Test(ref pending)) sends.RemoveAt(i);
                else sends[i] = pending;
            }
            Thread.Yield();
        }
    }

    /// <summary>A receive of the failure message of every other rank, into <paramref name="slots"/> (one int per rank).</summary>
    private Dictionary<int, nint> FailureReceives(int* slots) =>
        Enumerable.Range(0, Size).Where(r => r != Rank).ToDictionary(r => r, r => _mpi.StartReceive(slots + r, sizeof(int), r, FailureTag, _comm));

    /// <summary>The rank whose failure message has arrived, if any.</summary>
    private int? FailedRank(Dictionary<int, nint> receives)
    {
        foreach (var (rank, request) in receives)
        {
            var pending = request;
            if (_mpi.Test(ref pending)) return rank;
            receives[rank] = pending;
        }
        return null;
    }

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

    /// <summary>
    /// Runs the blocking <paramref name="call"/> under the watchdog's eye; <paramref name="timedOut"/> makes the error of a
    /// wait that lasted too long, where the ranks cannot be asked who is missing.
    /// </summary>
    private void Guarded(string operation, Action call, Func<TimeSpan, DistributedException>? timedOut = null)
    {
        _ = _watchdog.Value;
        _waitingFor = operation;
        _waitingError = timedOut;
        _waitingSequence = ++_sequence;
        Volatile.Write(ref _waitingSince, Stopwatch.GetTimestamp());
        try
        {
            call();
        }
        finally
        {
            Volatile.Write(ref _waitingSince, 0);
        }
    }

    /// <summary>The watchdog: looks at the collective under way a few times per timeout, and ends the job once it has waited too long.</summary>
    private void Watch()
    {
        var interval = TimeSpan.FromTicks(Math.Clamp(Timeout.Ticks / 20, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        Dictionary<int, nint>? failures = null;
        // Native memory, never freed: a receive stays posted until the process ends.
        var failureSlots = (int*)NativeMemory.AllocZeroed((nuint)Math.Max(1, Size), sizeof(int));
        while (true)
        {
            Thread.Sleep(interval);
            if (_tellsFailures)
            {
                lock (_gate)
                {
                    if (_finalized) return;
                    failures ??= FailureReceives(failureSlots);
                    if (FailedRank(failures) is { } failed)
                    {
                        Output.Error.WriteLine($"Rank {Rank} of {Size} ends because rank {failed} failed (its error is in its output).");
                        Output.Error.Flush();
                        _mpi.Abort(_comm, 1);
                    }
                }
            }
            var since = Volatile.Read(ref _waitingSince);
            if (since == 0 || Stopwatch.GetElapsedTime(since) is var waited && waited <= Timeout) continue;
            AbortWith(_waitingError?.Invoke(waited) ?? TimedOut(_waitingFor, _waitingSequence, waited));
        }
    }

    /// <summary>
    /// The error of a collective that timed out, naming the ranks that never joined it: every rank that timed out tells
    /// every other it is here, and the ranks not heard from within a grace period are the ones the job waited for.
    /// </summary>
    private DistributedException TimedOut(string operation, long sequence, TimeSpan waited)
    {
        var advice = "Look at the output of the rank it waited for: it may have failed, hung, or be far slower. Every rank must make the " +
                     "same collective calls in the same order.";
        if (!_threadMultiple)
            return new DistributedException(
                $"Rank {Rank} waited {waited.TotalSeconds:0.#} s for {operation} #{sequence} of {Size} ranks and gave up (this MPI library " +
                $"runs without MPI_THREAD_MULTIPLE, so which ranks never joined cannot be asked). {advice}");
        var others = Enumerable.Range(0, Size).Where(r => r != Rank).ToArray();
        // Native memory, never freed: a message may still land after this rank has given up, and the job ends next anyway.
        var slots = (long*)NativeMemory.AllocZeroed((nuint)(Size + 1), sizeof(long));
        slots[Size] = sequence;
        var receives = new Dictionary<int, nint>();
        foreach (var rank in others)
        {
            _ = _mpi.StartSend(slots + Size, sizeof(long), rank, PresenceTag, _comm);
            receives[rank] = _mpi.StartReceive(slots + rank, sizeof(long), rank, PresenceTag, _comm);
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
        return new DistributedException($"Rank {Rank} waited {waited.TotalSeconds:0.#} s for {operation} #{sequence} of {Size} ranks and gave up: {who}. {advice}");
    }
}
