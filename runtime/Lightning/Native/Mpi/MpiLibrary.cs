using System.Runtime.InteropServices;
using System.Text;

namespace Lightning.Native;

/// <summary>
/// MPI's C API, loaded from the MPI library the machine has (Open MPI or an MPICH-ABI library) through function
/// pointers, so no MPI is needed to build or to train in one process. Handles come from <see cref="MpiHandles"/>.
/// Only the calls data-parallel training needs are bound; every one checks its return code.
/// </summary>
internal sealed unsafe class MpiLibrary
{
    /// <summary>The environment variable naming the MPI library file to load instead of the usual names.</summary>
    public const string PathVariable = "LIGHTNING_MPI_LIB";

    private const int ThreadMultiple = 3;

    // Open MPI 3 to 5 is libmpi.so.40; MPICH, Intel MPI and MVAPICH are libmpi.so.12; MS-MPI is msmpi.dll.
    private static readonly string[] Names = ["libmpi.so.40", "libmpi.so.12", "libmpi.so", "libmpi.dylib", "msmpi.dll"];

    private static MpiLibrary? s_loaded;

    private readonly delegate* unmanaged<int*, byte***, int, int*, int> _initThread;
    private readonly delegate* unmanaged<int*, int> _initialized;
    private readonly delegate* unmanaged<int*, int> _finalized;
    private readonly delegate* unmanaged<int> _finalize;
    private readonly delegate* unmanaged<nint, int*, int> _commRank;
    private readonly delegate* unmanaged<nint, int*, int> _commSize;
    private readonly delegate* unmanaged<void*, void*, int, nint, nint, nint, int> _allreduce;
    private readonly delegate* unmanaged<void*, int, nint, int, nint, int> _bcast;
    private readonly delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int> _allgather;
    private readonly delegate* unmanaged<nint, int> _barrier;
    private readonly delegate* unmanaged<void*, int, nint, int, int, nint, nint*, int> _isend;
    private readonly delegate* unmanaged<void*, int, nint, int, int, nint, nint*, int> _irecv;
    private readonly delegate* unmanaged<nint*, int*, nint, int> _test;
    private readonly delegate* unmanaged<nint, int, int> _abort;
    private readonly delegate* unmanaged<int, byte*, int*, int> _errorString;

    private MpiLibrary(string path, nint library, string version)
    {
        Path = path;
        Version = version;
        nint Export(string name) => NativeLibrary.GetExport(library, name);
        _initThread = (delegate* unmanaged<int*, byte***, int, int*, int>)Export("MPI_Init_thread");
        _initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        _finalized = (delegate* unmanaged<int*, int>)Export("MPI_Finalized");
        _finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        _commRank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
        _commSize = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
        _allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Export("MPI_Allreduce");
        _bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Export("MPI_Bcast");
        _allgather = (delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int>)Export("MPI_Allgather");
        _barrier = (delegate* unmanaged<nint, int>)Export("MPI_Barrier");
        _isend = (delegate* unmanaged<void*, int, nint, int, int, nint, nint*, int>)Export("MPI_Isend");
        _irecv = (delegate* unmanaged<void*, int, nint, int, int, nint, nint*, int>)Export("MPI_Irecv");
        _test = (delegate* unmanaged<nint*, int*, nint, int>)Export("MPI_Test");
        _abort = (delegate* unmanaged<nint, int, int>)Export("MPI_Abort");
        _errorString = (delegate* unmanaged<int, byte*, int*, int>)Export("MPI_Error_string");
        Handles = version.Contains("Open MPI", StringComparison.Ordinal) ? MpiHandles.OpenMpi(library)
            : version.Contains("MPICH", StringComparison.OrdinalIgnoreCase) || version.Contains("Intel", StringComparison.Ordinal) ||
              version.Contains("MVAPICH", StringComparison.OrdinalIgnoreCase) || version.Contains("Microsoft", StringComparison.Ordinal) ? MpiHandles.Mpich
            : throw new DistributedException(
                $"The MPI library {path} is neither Open MPI nor MPICH-compatible (it says: {version.Trim()}); Lightning knows those two ABIs. " +
                $"Point {PathVariable} at Open MPI's libmpi.so.40 or MPICH's libmpi.so.12.");
    }

    /// <summary>The file the library was loaded from.</summary>
    public string Path { get; }

    /// <summary>What <c>MPI_Get_library_version</c> says.</summary>
    public string Version { get; }

    /// <summary>The predefined handles of this library's ABI.</summary>
    public MpiHandles Handles { get; }

    /// <summary>The MPI library of this process, loaded on first use.</summary>
    /// <exception cref="DistributedException">No MPI library could be loaded; the message says how to install one.</exception>
    public static MpiLibrary Load()
    {
        if (s_loaded is { } loaded) return loaded;
        var explicitPath = Environment.GetEnvironmentVariable(PathVariable);
        var candidates = string.IsNullOrEmpty(explicitPath) ? Names : [explicitPath];
        var tried = new List<string>();
        foreach (var name in candidates)
        {
            if (!NativeLibrary.TryLoad(name, out var library))
            {
                tried.Add(name);
                continue;
            }
            return s_loaded = new MpiLibrary(name, library, LibraryVersion(library));
        }
        throw new DistributedException(
            $"Data-parallel training needs an MPI library, and none loaded (tried {string.Join(", ", tried)}). Install Open MPI " +
            "(Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev; the repository's eng/install-mpi.sh does it), or name the " +
            $"library file in {PathVariable}.");
    }

    private static string LibraryVersion(nint library)
    {
        // MPI_MAX_LIBRARY_VERSION_STRING is 256 in Open MPI and 8192 in MPICH; MPI_Get_library_version may be called before MPI_Init.
        var call = (delegate* unmanaged<byte*, int*, int>)NativeLibrary.GetExport(library, "MPI_Get_library_version");
        var buffer = new byte[8192];
        int length;
        fixed (byte* text = buffer) _ = call(text, &length);
        return Encoding.ASCII.GetString(buffer, 0, Math.Clamp(length, 0, buffer.Length)).TrimEnd('\0');
    }

    /// <summary>Whether <c>MPI_Init</c> has run in this process.</summary>
    public bool IsInitialized
    {
        get
        {
            int flag;
            Check(_initialized(&flag), "MPI_Initialized");
            return flag != 0;
        }
    }

    /// <summary>Whether <c>MPI_Finalize</c> has run in this process.</summary>
    public bool IsFinalized
    {
        get
        {
            int flag;
            Check(_finalized(&flag), "MPI_Finalized");
            return flag != 0;
        }
    }

    /// <summary>
    /// <c>MPI_Init_thread</c> asking for <c>MPI_THREAD_MULTIPLE</c>, so that a watchdog thread may call MPI while the trainer's
    /// thread waits in a collective. Returns whether the library granted it.
    /// </summary>
    public bool Initialize()
    {
        int provided;
        Check(_initThread(null, null, ThreadMultiple, &provided), "MPI_Init_thread");
        return provided >= ThreadMultiple;
    }

    /// <summary><c>MPI_Finalize</c>.</summary>
    public void FinalizeMpi() => Check(_finalize(), "MPI_Finalize");

    /// <summary>This process's rank in <c>MPI_COMM_WORLD</c>.</summary>
    public int WorldRank()
    {
        int rank;
        Check(_commRank(Handles.CommWorld, &rank), "MPI_Comm_rank");
        return rank;
    }

    /// <summary>The number of processes in <c>MPI_COMM_WORLD</c>.</summary>
    public int WorldSize()
    {
        int size;
        Check(_commSize(Handles.CommWorld, &size), "MPI_Comm_size");
        return size;
    }

    /// <summary><c>MPI_Allreduce</c> in place over <c>MPI_COMM_WORLD</c>.</summary>
    public void AllReduce(void* buffer, int count, nint datatype, nint op) =>
        Check(_allreduce((void*)Handles.InPlace, buffer, count, datatype, op, Handles.CommWorld), "MPI_Allreduce");

    /// <summary><c>MPI_Bcast</c> over <c>MPI_COMM_WORLD</c>.</summary>
    public void Broadcast(void* buffer, int count, nint datatype, int root) =>
        Check(_bcast(buffer, count, datatype, root, Handles.CommWorld), "MPI_Bcast");

    /// <summary><c>MPI_Allgather</c> of <paramref name="count"/> elements from each rank into <paramref name="output"/>.</summary>
    public void AllGather(void* input, void* output, int count, nint datatype) =>
        Check(_allgather(input, count, datatype, output, count, datatype, Handles.CommWorld), "MPI_Allgather");

    /// <summary><c>MPI_Barrier</c> over <c>MPI_COMM_WORLD</c>.</summary>
    public void Barrier() => Check(_barrier(Handles.CommWorld), "MPI_Barrier");

    /// <summary><c>MPI_Isend</c> of bytes to <paramref name="destination"/>.</summary>
    public nint StartSend(void* buffer, int bytes, int destination, int tag)
    {
        nint request = 0;
        Check(_isend(buffer, bytes, Handles.Byte, destination, tag, Handles.CommWorld, &request), "MPI_Isend");
        return request;
    }

    /// <summary><c>MPI_Irecv</c> of bytes from <paramref name="source"/>.</summary>
    public nint StartReceive(void* buffer, int bytes, int source, int tag)
    {
        nint request = 0;
        Check(_irecv(buffer, bytes, Handles.Byte, source, tag, Handles.CommWorld, &request), "MPI_Irecv");
        return request;
    }

    /// <summary><c>MPI_Test</c>: whether the request has completed (and is then freed).</summary>
    public bool Test(ref nint request)
    {
        int flag;
        fixed (nint* pending = &request) Check(_test(pending, &flag, Handles.StatusIgnore), "MPI_Test");
        return flag != 0;
    }

    /// <summary><c>MPI_Abort</c> on <c>MPI_COMM_WORLD</c>: the launcher ends every rank of the job.</summary>
    public void Abort(int errorCode) => _ = _abort(Handles.CommWorld, errorCode);

    private void Check(int code, string call)
    {
        if (code == 0) return;
        var buffer = new byte[1024];
        int length = 0;
        fixed (byte* text = buffer) _ = _errorString(code, text, &length);
        throw new DistributedException($"{call} failed with MPI error {code}: {Encoding.ASCII.GetString(buffer, 0, Math.Clamp(length, 0, buffer.Length))}");
    }
}
