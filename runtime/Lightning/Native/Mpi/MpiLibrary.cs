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

    // MPI_MAX_PORT_NAME is 1024 in Open MPI and 256 in MPICH.
    private const int PortNameBytes = 1024;

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
    private readonly delegate* unmanaged<nint, nint, int> _commSetErrhandler;
    private readonly delegate* unmanaged<nint, byte*, int> _openPort;
    private readonly delegate* unmanaged<byte*, int> _closePort;
    private readonly delegate* unmanaged<byte*, nint, byte*, int> _publishName;
    private readonly delegate* unmanaged<byte*, nint, byte*, int> _unpublishName;
    private readonly delegate* unmanaged<byte*, nint, byte*, int> _lookupName;
    private readonly delegate* unmanaged<byte*, nint, int, nint, nint*, int> _commAccept;
    private readonly delegate* unmanaged<byte*, nint, int, nint, nint*, int> _commConnect;
    private readonly delegate* unmanaged<nint, int, nint*, int> _intercommMerge;
    private readonly delegate* unmanaged<nint, int, int, nint*, int> _commSplit;
    private readonly delegate* unmanaged<nint*, int> _commFree;

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
        _commSetErrhandler = (delegate* unmanaged<nint, nint, int>)Export("MPI_Comm_set_errhandler");
        _openPort = (delegate* unmanaged<nint, byte*, int>)Export("MPI_Open_port");
        _closePort = (delegate* unmanaged<byte*, int>)Export("MPI_Close_port");
        _publishName = (delegate* unmanaged<byte*, nint, byte*, int>)Export("MPI_Publish_name");
        _unpublishName = (delegate* unmanaged<byte*, nint, byte*, int>)Export("MPI_Unpublish_name");
        _lookupName = (delegate* unmanaged<byte*, nint, byte*, int>)Export("MPI_Lookup_name");
        _commAccept = (delegate* unmanaged<byte*, nint, int, nint, nint*, int>)Export("MPI_Comm_accept");
        _commConnect = (delegate* unmanaged<byte*, nint, int, nint, nint*, int>)Export("MPI_Comm_connect");
        _intercommMerge = (delegate* unmanaged<nint, int, nint*, int>)Export("MPI_Intercomm_merge");
        _commSplit = (delegate* unmanaged<nint, int, int, nint*, int>)Export("MPI_Comm_split");
        _commFree = (delegate* unmanaged<nint*, int>)Export("MPI_Comm_free");
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

    /// <summary>This process's rank in <paramref name="comm"/>.</summary>
    public int Rank(nint comm)
    {
        int rank;
        Check(_commRank(comm, &rank), "MPI_Comm_rank");
        return rank;
    }

    /// <summary>The number of processes in <paramref name="comm"/>.</summary>
    public int Size(nint comm)
    {
        int size;
        Check(_commSize(comm, &size), "MPI_Comm_size");
        return size;
    }

    /// <summary><c>MPI_Allreduce</c> in place over <paramref name="comm"/>.</summary>
    public void AllReduce(void* buffer, int count, nint datatype, nint op, nint comm) =>
        Check(_allreduce((void*)Handles.InPlace, buffer, count, datatype, op, comm), "MPI_Allreduce");

    /// <summary><c>MPI_Bcast</c> over <paramref name="comm"/>.</summary>
    public void Broadcast(void* buffer, int count, nint datatype, int root, nint comm) =>
        Check(_bcast(buffer, count, datatype, root, comm), "MPI_Bcast");

    /// <summary><c>MPI_Allgather</c> of <paramref name="count"/> elements from each rank of <paramref name="comm"/> into <paramref name="output"/>.</summary>
    public void AllGather(void* input, void* output, int count, nint datatype, nint comm) =>
        Check(_allgather(input, count, datatype, output, count, datatype, comm), "MPI_Allgather");

    /// <summary><c>MPI_Barrier</c> over <paramref name="comm"/>.</summary>
    public void Barrier(nint comm) => Check(_barrier(comm), "MPI_Barrier");

    /// <summary><c>MPI_Isend</c> of bytes to <paramref name="destination"/> in <paramref name="comm"/>.</summary>
    public nint StartSend(void* buffer, int bytes, int destination, int tag, nint comm)
    {
        nint request = 0;
        Check(_isend(buffer, bytes, Handles.Byte, destination, tag, comm, &request), "MPI_Isend");
        return request;
    }

    /// <summary><c>MPI_Irecv</c> of bytes from <paramref name="source"/> in <paramref name="comm"/>.</summary>
    public nint StartReceive(void* buffer, int bytes, int source, int tag, nint comm)
    {
        nint request = 0;
        Check(_irecv(buffer, bytes, Handles.Byte, source, tag, comm, &request), "MPI_Irecv");
        return request;
    }

    /// <summary><c>MPI_Test</c>: whether the request has completed (and is then freed).</summary>
    public bool Test(ref nint request)
    {
        int flag;
        fixed (nint* pending = &request) Check(_test(pending, &flag, Handles.StatusIgnore), "MPI_Test");
        return flag != 0;
    }

    /// <summary><c>MPI_Abort</c> on <paramref name="comm"/>: the launcher ends every rank of the job.</summary>
    public void Abort(nint comm, int errorCode) => _ = _abort(comm, errorCode);

    /// <summary>
    /// <c>MPI_Comm_set_errhandler</c> with <c>MPI_ERRORS_RETURN</c> on <paramref name="comm"/>, so that a failed call returns
    /// its error instead of ending the process (a name not yet published is such a failure).
    /// </summary>
    public void ReturnErrors(nint comm) => Check(_commSetErrhandler(comm, Handles.ErrorsReturn), "MPI_Comm_set_errhandler");

    /// <summary><c>MPI_Open_port</c>: a port name other processes connect to.</summary>
    public string OpenPort()
    {
        var port = new byte[PortNameBytes];
        fixed (byte* name = port) Check(_openPort(Handles.InfoNull, name), "MPI_Open_port");
        return Text(port);
    }

    /// <summary><c>MPI_Close_port</c>.</summary>
    public void ClosePort(string port)
    {
        fixed (byte* name = Bytes(port)) Check(_closePort(name), "MPI_Close_port");
    }

    /// <summary><c>MPI_Publish_name</c>: makes <paramref name="port"/> known under <paramref name="service"/> to the name server.</summary>
    public void PublishName(string service, string port)
    {
        fixed (byte* serviceName = Bytes(service))
        fixed (byte* portName = Bytes(port))
            Check(_publishName(serviceName, Handles.InfoNull, portName), "MPI_Publish_name");
    }

    /// <summary><c>MPI_Unpublish_name</c>.</summary>
    public void UnpublishName(string service, string port)
    {
        fixed (byte* serviceName = Bytes(service))
        fixed (byte* portName = Bytes(port))
            Check(_unpublishName(serviceName, Handles.InfoNull, portName), "MPI_Unpublish_name");
    }

    /// <summary>
    /// <c>MPI_Lookup_name</c>: the port published under <paramref name="service"/>, or <see langword="null"/> while none is
    /// (errors must be returned, see <see cref="ReturnErrors"/>).
    /// </summary>
    public string? LookupName(string service)
    {
        var port = new byte[PortNameBytes];
        fixed (byte* serviceName = Bytes(service))
        fixed (byte* portName = port)
            return _lookupName(serviceName, Handles.InfoNull, portName) == 0 ? Text(port) : null;
    }

    /// <summary><c>MPI_Comm_accept</c> by every rank of <paramref name="comm"/>, rank 0 listening on <paramref name="port"/>: the intercommunicator to the process that connected.</summary>
    public nint Accept(string port, nint comm)
    {
        nint inter = 0;
        fixed (byte* name = Bytes(port)) Check(_commAccept(name, Handles.InfoNull, 0, comm, &inter), "MPI_Comm_accept");
        return inter;
    }

    /// <summary><c>MPI_Comm_connect</c> of this process alone to <paramref name="port"/>: the intercommunicator to the processes that accepted.</summary>
    public nint Connect(string port)
    {
        nint inter = 0;
        fixed (byte* name = Bytes(port)) Check(_commConnect(name, Handles.InfoNull, 0, Handles.CommSelf, &inter), "MPI_Comm_connect");
        return inter;
    }

    /// <summary><c>MPI_Intercomm_merge</c>: one communicator of both sides, the <paramref name="high"/> side's ranks after the other's.</summary>
    public nint Merge(nint inter, bool high)
    {
        nint merged = 0;
        Check(_intercommMerge(inter, high ? 1 : 0, &merged), "MPI_Intercomm_merge");
        return merged;
    }

    /// <summary><c>MPI_Comm_split</c> of <paramref name="comm"/> into one communicator whose ranks follow <paramref name="key"/>.</summary>
    public nint Reorder(nint comm, int key)
    {
        nint ordered = 0;
        Check(_commSplit(comm, 0, key, &ordered), "MPI_Comm_split");
        return ordered;
    }

    /// <summary><c>MPI_Comm_free</c>.</summary>
    public void Free(nint comm) => Check(_commFree(&comm), "MPI_Comm_free");

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text + "\0");

    private static string Text(byte[] buffer)
    {
        var end = Array.IndexOf(buffer, (byte)0);
        return Encoding.ASCII.GetString(buffer, 0, end < 0 ? buffer.Length : end);
    }

    private void Check(int code, string call)
    {
        if (code == 0) return;
        var buffer = new byte[1024];
        int length = 0;
        fixed (byte* text = buffer) _ = _errorString(code, text, &length);
        throw new DistributedException($"{call} failed with MPI error {code}: {Encoding.ASCII.GetString(buffer, 0, Math.Clamp(length, 0, buffer.Length))}");
    }
}
