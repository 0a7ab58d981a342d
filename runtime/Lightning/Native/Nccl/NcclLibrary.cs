using System.Runtime.InteropServices;

namespace Lightning.Native;

/// <summary>
/// NVIDIA's collectives library (<c>libnccl.so.2</c>, its C API) for CUDA tensors, loaded on first use through function
/// pointers, with the two CUDA runtime calls it needs beside it (choosing the device, asking whether the stream is
/// done), taken from the <c>libcudart</c> LibTorch has loaded. Only the calls data-parallel training needs are bound.
/// </summary>
internal sealed unsafe class NcclLibrary
{
    /// <summary>The environment variable naming the NCCL library file to load instead of the usual places.</summary>
    public const string PathVariable = "LIGHTNING_NCCL_LIB";

    /// <summary>NCCL's <c>ncclSuccess</c>.</summary>
    public const int Success = 0;

    /// <summary>CUDA's <c>cudaErrorNotReady</c>: work queued on the stream is still running.</summary>
    public const int CudaNotReady = 600;

    private static readonly Lock s_lock = new();
    private static NcclLibrary? s_loaded;

    private readonly delegate* unmanaged<NcclUniqueId*, int> _getUniqueId;
    private readonly delegate* unmanaged<nint*, int, NcclUniqueId, int, int> _commInitRank;
    private readonly delegate* unmanaged<void*, void*, nuint, int, int, nint, nint, int> _allReduce;
    private readonly delegate* unmanaged<void*, void*, nuint, int, int, nint, nint, int> _broadcast;
    private readonly delegate* unmanaged<void*, void*, nuint, int, nint, nint, int> _allGather;
    private readonly delegate* unmanaged<nint, int*, int> _commGetAsyncError;
    private readonly delegate* unmanaged<nint, int> _commAbort;
    private readonly delegate* unmanaged<int, byte*> _getErrorString;
    private readonly delegate* unmanaged<int, int> _cudaSetDevice;
    private readonly delegate* unmanaged<nint, int> _cudaStreamQuery;

    private NcclLibrary(string path, nint nccl, nint cudart)
    {
        Path = path;
        nint Export(nint library, string name) => NativeLibrary.GetExport(library, name);
        _getUniqueId = (delegate* unmanaged<NcclUniqueId*, int>)Export(nccl, "ncclGetUniqueId");
        _commInitRank = (delegate* unmanaged<nint*, int, NcclUniqueId, int, int>)Export(nccl, "ncclCommInitRank");
        _allReduce = (delegate* unmanaged<void*, void*, nuint, int, int, nint, nint, int>)Export(nccl, "ncclAllReduce");
        _broadcast = (delegate* unmanaged<void*, void*, nuint, int, int, nint, nint, int>)Export(nccl, "ncclBroadcast");
        _allGather = (delegate* unmanaged<void*, void*, nuint, int, nint, nint, int>)Export(nccl, "ncclAllGather");
        _commGetAsyncError = (delegate* unmanaged<nint, int*, int>)Export(nccl, "ncclCommGetAsyncError");
        _commAbort = (delegate* unmanaged<nint, int>)Export(nccl, "ncclCommAbort");
        _getErrorString = (delegate* unmanaged<int, byte*>)Export(nccl, "ncclGetErrorString");
        _cudaSetDevice = (delegate* unmanaged<int, int>)Export(cudart, "cudaSetDevice");
        _cudaStreamQuery = (delegate* unmanaged<nint, int>)Export(cudart, "cudaStreamQuery");
    }

    /// <summary>The file the library was loaded from.</summary>
    public string Path { get; }

    /// <summary>NCCL, loaded on first use from <see cref="Candidates"/>.</summary>
    /// <exception cref="DistributedException">No NCCL library loaded; the message names the files tried and where NCCL comes from.</exception>
    public static NcclLibrary Load()
    {
        lock (s_lock) return s_loaded ??= Load(Candidates(Environment.GetEnvironmentVariable(PathVariable), LibTorch.Location));
    }

    /// <summary>NCCL from the first of <paramref name="candidates"/> that loads.</summary>
    /// <exception cref="DistributedException">None loaded, or no CUDA runtime is in the process.</exception>
    public static NcclLibrary Load(IReadOnlyList<string> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (!NativeLibrary.TryLoad(candidate, out var nccl)) continue;
            // LibTorch loads the CUDA runtime, under a hashed name in some builds: take the one the process has.
            var cudartPath = ProcessMaps.Find(ProcessMaps.Current(), name => name.StartsWith("libcudart", StringComparison.Ordinal))
                ?? throw new DistributedException(
                    $"NCCL loaded from {candidate}, but no CUDA runtime (libcudart) is loaded in this process: NCCL works on CUDA tensors, " +
                    "which need a CUDA LibTorch (TorchSharp-cuda-linux, or a PyTorch install's through LIGHTNING_TORCH_LIB).");
            return new NcclLibrary(candidate, nccl, NativeLibrary.Load(cudartPath));
        }
        throw new DistributedException(
            $"Data-parallel training on CUDA exchanges gradients with NCCL, and no libnccl.so.2 loaded (tried {string.Join(", ", candidates)}). " +
            "Install it from NVIDIA's package (Debian/Ubuntu with NVIDIA's CUDA repository: apt-get install libnccl2), or use the one a " +
            "PyTorch install carries (pip's nvidia-nccl-cu12, in site-packages/nvidia/nccl/lib) by naming the file in " +
            $"{PathVariable}, or put its folder on LD_LIBRARY_PATH.");
    }

    /// <summary>
    /// Where NCCL is looked for: <paramref name="explicitPath"/> alone when given; else the loader's search for
    /// <c>libnccl.so.2</c>, then the <c>nvidia/nccl/lib</c> folder beside a PyTorch install's <c>torch/lib</c> (<paramref name="torchLib"/>).
    /// </summary>
    public static IReadOnlyList<string> Candidates(string? explicitPath, string? torchLib)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath)) return [explicitPath];
        var candidates = new List<string> { "libnccl.so.2" };
        if (torchLib is not null)
            candidates.Add(System.IO.Path.GetFullPath(System.IO.Path.Combine(torchLib, "..", "..", "nvidia", "nccl", "lib", "libnccl.so.2")));
        return candidates;
    }

    /// <summary><c>ncclGetUniqueId</c>: the identity rank 0 makes and every rank joins with.</summary>
    public NcclUniqueId NewUniqueId()
    {
        NcclUniqueId id;
        Check(_getUniqueId(&id), "ncclGetUniqueId");
        return id;
    }

    /// <summary><c>cudaSetDevice</c> then <c>ncclCommInitRank</c>: joins the communicator of <paramref name="size"/> ranks on CUDA device <paramref name="device"/>.</summary>
    public nint InitRank(int device, int size, NcclUniqueId id, int rank)
    {
        var cuda = _cudaSetDevice(device);
        if (cuda != 0) throw new DistributedException($"cudaSetDevice({device}) failed with CUDA error {cuda}.");
        nint comm = 0;
        Check(_commInitRank(&comm, size, id, rank), "ncclCommInitRank");
        return comm;
    }

    /// <summary><c>ncclAllReduce</c> in place, queued on the legacy default stream, which LibTorch's operations use too.</summary>
    public void AllReduce(void* buffer, long count, int datatype, int op, nint comm) =>
        Check(_allReduce(buffer, buffer, (nuint)count, datatype, op, comm, 0), "ncclAllReduce");

    /// <summary><c>ncclBroadcast</c> in place from <paramref name="root"/>.</summary>
    public void Broadcast(void* buffer, long count, int datatype, int root, nint comm) =>
        Check(_broadcast(buffer, buffer, (nuint)count, datatype, root, comm, 0), "ncclBroadcast");

    /// <summary><c>ncclAllGather</c> of <paramref name="count"/> elements from each rank.</summary>
    public void AllGather(void* input, void* output, long count, int datatype, nint comm) =>
        Check(_allGather(input, output, (nuint)count, datatype, comm, 0), "ncclAllGather");

    /// <summary>Whether the work queued on the default stream has finished; throws NCCL's asynchronous error if the communicator has one.</summary>
    public bool Done(nint comm)
    {
        int asyncError;
        Check(_commGetAsyncError(comm, &asyncError), "ncclCommGetAsyncError");
        Check(asyncError, "an NCCL collective");
        var state = _cudaStreamQuery(0);
        return state == 0 || (state == CudaNotReady ? false : throw new DistributedException($"CUDA reported error {state} while NCCL ran."));
    }

    /// <summary><c>ncclCommAbort</c>: frees the communicator without waiting for the other ranks.</summary>
    public void Abort(nint comm) => _ = _commAbort(comm);

    private void Check(int result, string call)
    {
        if (result == Success) return;
        throw new DistributedException($"{call} failed with NCCL error {result}: {Marshal.PtrToStringAnsi((nint)_getErrorString(result))}");
    }
}
