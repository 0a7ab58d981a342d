using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Lightning.Native;

namespace Lightning.Strategies;

/// <summary>
/// Joins processes that MPI sees each alone into one MPI communicator: processes started independently with torchrun's
/// variables (<c>RANK</c>, <c>WORLD_SIZE</c>, <c>MASTER_ADDR</c>, <c>MASTER_PORT</c>), or Slurm tasks that <c>srun</c> started
/// without PMI. Open MPI's own facilities do it: each process starts as an MPI singleton, rank 0 runs Open MPI's name server (<c>ompi-server</c>) on <c>MASTER_ADDR:MASTER_PORT</c> and publishes an MPI
/// port there (<c>MPI_Open_port</c>, <c>MPI_Publish_name</c>), the others look it up and connect (<c>MPI_Lookup_name</c>,
/// <c>MPI_Comm_connect</c>), the group grows by one process per <c>MPI_Comm_accept</c> and <c>MPI_Intercomm_merge</c>, and
/// <c>MPI_Comm_split</c> orders it by <c>RANK</c>. The name server is needed only while the processes connect, and ends then.
/// </summary>
internal sealed class SingletonRendezvous : IDisposable
{
    // The name rank 0's port is published under, in the name server of this job alone.
    private const string Service = "lightning-ddp";

    private readonly MpiLibrary _mpi;
    private readonly ClusterEnvironment _cluster;
    private readonly string _address;
    private readonly int _port;
    private Process? _server;

    private SingletonRendezvous(MpiLibrary mpi, ClusterEnvironment cluster, string address, int port)
    {
        _mpi = mpi;
        _cluster = cluster;
        _address = address;
        _port = port;
    }

    /// <summary>Where the processes meet, for messages: <c>MASTER_ADDR:port</c>.</summary>
    public string Endpoint => $"{_address}:{_port}";

    /// <summary>
    /// Gets this process ready to join, before <c>MPI_Init</c>: rank 0 starts the name server, every rank waits until it
    /// answers (at most <paramref name="timeout"/>) and points Open MPI at it.
    /// </summary>
    /// <exception cref="DistributedException">A variable is missing, the MPI library is not Open MPI, or the name server never answered.</exception>
    public static SingletonRendezvous Prepare(MpiLibrary mpi, ClusterEnvironment cluster, TimeSpan timeout, Func<string, string?> variable)
    {
        if (mpi.Handles.Implementation != "Open MPI")
            throw new DistributedException(
                $"Processes started by {cluster.Launcher} without an MPI launcher join through Open MPI's name server, and the MPI library here is " +
                $"{mpi.Handles.Implementation} ({mpi.Path}). Start the job with its mpiexec -n {cluster.WorldSize} instead, or install Open MPI.");
        var (address, port) = cluster.Launcher == "srun" ? SlurmEndpoint(cluster, variable) : TorchrunEndpoint(cluster, variable);
        if (cluster.Launcher == "srun" && LibC.UnsetEnv("SLURM_STEP_ID") != 0)
            // Open MPI takes a process with a Slurm job step for one srun started through PMI, and refuses to be a singleton there.
            throw new DistributedException("Unsetting SLURM_STEP_ID for Open MPI failed.");
        var rendezvous = new SingletonRendezvous(mpi, cluster, address, port);
        try
        {
            var ip = rendezvous.Resolve();
            if (cluster.GlobalRank == 0) rendezvous.StartServer();
            rendezvous.WaitForServer(ip, timeout);
            // Open MPI reads its parameters from the C library's environment when MPI_Init starts the singleton's daemon.
            var jobId = rendezvous.ServerJobId.ToString(CultureInfo.InvariantCulture);
            if (LibC.SetEnv("OMPI_MCA_pmix_server_uri", $"{jobId}.0;tcp://{ip}:{port}", 1) != 0)
                throw new DistributedException("Setting OMPI_MCA_pmix_server_uri for Open MPI failed.");
            return rendezvous;
        }
        catch
        {
            rendezvous.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Joins every process into one communicator ordered by <c>RANK</c>, after <c>MPI_Init</c>. Each wait for other
    /// processes runs through <paramref name="guarded"/>, which ends this process with the error it is given once the
    /// wait has lasted longer than the timeout.
    /// </summary>
    public nint Join(Action<Action, Func<TimeSpan, DistributedException>> guarded)
    {
        var rank = _cluster.GlobalRank;
        var world = _cluster.WorldSize;
        var comm = _mpi.Handles.CommSelf;
        IReadOnlyList<int> joined = [rank];
        string port;
        if (rank == 0)
        {
            port = _mpi.OpenPort();
            _mpi.PublishName(Service, port);
        }
        else
        {
            port = LookUpPort(guarded);
            var inter = (nint)0;
            guarded(() => inter = _mpi.Connect(port), waited => new DistributedException(
                $"Rank {rank} waited {waited.TotalSeconds:0.#} s to be let in by rank 0 at {Endpoint} and gave up. {Advice}"));
            comm = _mpi.Merge(inter, high: true);
            _mpi.Free(inter);
            joined = Ranks(comm);
        }
        while (joined.Count < world)
        {
            var inter = (nint)0;
            var present = joined;
            guarded(() => inter = _mpi.Accept(port, comm), waited => NeverArrived(waited, present));
            var merged = _mpi.Merge(inter, high: false);
            _mpi.Free(inter);
            if (comm != _mpi.Handles.CommSelf) _mpi.Free(comm);
            comm = merged;
            joined = Ranks(comm);
        }
        var ordered = _mpi.Reorder(comm, rank);
        _mpi.Free(comm);
        if (!joined.Order().SequenceEqual(Enumerable.Range(0, world)))
            throw new DistributedException(
                $"The {world} processes that met at {Endpoint} have RANK {string.Join(", ", joined.Order())}; each of 0 to {world - 1} must be given to one process.");
        if (rank == 0)
        {
            _mpi.UnpublishName(Service, port);
            _mpi.ClosePort(port);
        }
        // Once every process is past connecting, the name server has done its work.
        _mpi.Barrier(ordered);
        Dispose();
        return ordered;
    }

    /// <summary>Ends the name server, if this process started it.</summary>
    public void Dispose()
    {
        if (_server is null) return;
        // Closing its input ends it (see StartServer).
        _server.StandardInput.Close();
        _server.WaitForExit();
        _server.Dispose();
        _server = null;
    }

    private const string Advice =
        "Every process of the job (WORLD_SIZE, or SLURM_NTASKS) must be started, each with its own rank and the same meeting point (MASTER_ADDR and " +
        "MASTER_PORT); look at the output of those that did not arrive.";

    /// <summary>
    /// The name server's Open MPI job id, which clients must know in advance: its job family (the upper 16 bits) follows
    /// from the port, so every process computes the same without asking.
    /// </summary>
    private long ServerJobId => ((long)(_port % 32767) + 1) << 16;

    /// <summary><c>MASTER_ADDR</c> and <c>MASTER_PORT</c>, or the port after it where torchrun's own store holds that one.</summary>
    private static (string Address, int Port) TorchrunEndpoint(ClusterEnvironment cluster, Func<string, string?> variable)
    {
        var address = variable("MASTER_ADDR") is { Length: > 0 } named ? named : throw Missing("MASTER_ADDR", cluster);
        var port = Port(variable("MASTER_PORT")) ?? throw Missing("MASTER_PORT", cluster);
        // Under static rendezvous torchrun's agent holds its own store on MASTER_PORT; the name server takes the next port.
        return (address, variable("TORCHELASTIC_USE_AGENT_STORE") == "True" ? port + 1 : port);
    }

    /// <summary>
    /// Where Slurm tasks meet, as Lightning's Slurm environment has it: <c>MASTER_ADDR</c>, else the first machine of the
    /// job's node list; <c>MASTER_PORT</c>, else 15000 plus the job id's last four digits.
    /// </summary>
    private static (string Address, int Port) SlurmEndpoint(ClusterEnvironment cluster, Func<string, string?> variable)
    {
        var address = variable("MASTER_ADDR") is { Length: > 0 } named ? named
            : FirstHost(variable("SLURM_JOB_NODELIST") ?? variable("SLURM_NODELIST")) ?? throw Missing("SLURM_JOB_NODELIST", cluster);
        var port = Port(variable("MASTER_PORT"))
                   ?? (long.TryParse(variable("SLURM_JOB_ID"), NumberStyles.None, CultureInfo.InvariantCulture, out var job) ? 15000 + (int)(job % 10000) : throw Missing("SLURM_JOB_ID", cluster));
        return (address, port);
    }

    /// <summary>The first machine of a Slurm host list (<c>gpu[03-05,09],cpu1</c> starts with <c>gpu03</c>).</summary>
    internal static string? FirstHost(string? hostList)
    {
        if (string.IsNullOrWhiteSpace(hostList)) return null;
        var bracket = hostList.IndexOf('[', StringComparison.Ordinal);
        var comma = hostList.IndexOf(',', StringComparison.Ordinal);
        if (bracket < 0 || (comma >= 0 && comma < bracket)) return hostList.Split(',')[0].Trim();
        var range = hostList[(bracket + 1)..];
        var first = range[..range.IndexOfAny([',', '-', ']'])];
        return hostList[..bracket] + first;
    }

    private static int? Port(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65535 ? port : null;

    private static DistributedException Missing(string name, ClusterEnvironment cluster) => new(
        $"{cluster.Launcher}'s variables say this is rank {cluster.GlobalRank} of {cluster.WorldSize}, but {name} is not set (or not a number): the " +
        "processes meet at MASTER_ADDR:MASTER_PORT, the address of rank 0's machine and a free port there (torchrun sets both; under Slurm they " +
        $"come from SLURM_JOB_NODELIST and SLURM_JOB_ID). Set it, or start the job with mpirun -np {cluster.WorldSize}.");

    private IPAddress Resolve()
    {
        try
        {
            return Dns.GetHostAddresses(_address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                   ?? throw new DistributedException($"MASTER_ADDR {_address} has no IPv4 address; Open MPI's name server is reached over IPv4. Give rank 0's machine's IPv4 address.");
        }
        catch (SocketException e)
        {
            throw new DistributedException($"MASTER_ADDR {_address} could not be resolved ({e.Message}). Give rank 0's machine's name or address.");
        }
    }

    /// <summary>
    /// Starts <c>ompi-server</c> on the port with the job id clients expect. It runs under a shell that ends it when its
    /// standard input closes: when this process ends it, or when this process ends in any way (killed included), so no
    /// name server outlives the job.
    /// </summary>
    private void StartServer()
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Any, _port);
            probe.Start();
        }
        catch (SocketException e)
        {
            throw new DistributedException(
                $"Rank 0 runs Open MPI's name server on port {_port} of this machine, and that port is in use ({e.Message}). Choose a free MASTER_PORT.");
        }
        var program = ServerProgram();
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        // The watcher reads a copy of the input (an asynchronous command's own input is /dev/null) and kills the server, which `exec` made this shell.
        foreach (var argument in new[] { "-c", "exec 3<&0 0</dev/null; (read -r _ <&3; kill $$ 2>/dev/null) >/dev/null 2>&1 & exec 3<&-; exec \"$0\" --no-daemonize", program })
            start.ArgumentList.Add(argument);
        start.Environment["OMPI_MCA_orte_ess_jobid"] = ServerJobId.ToString(CultureInfo.InvariantCulture);
        start.Environment["OMPI_MCA_orte_ess_vpid"] = "0";
        start.Environment["OMPI_MCA_oob_tcp_static_ipv4_ports"] = _port.ToString(CultureInfo.InvariantCulture);
        _server = Process.Start(start) ?? throw new DistributedException($"Could not start {program}.");
    }

    private static string ServerProgram() => ProgramSearch.OnPath("ompi-server") ?? throw new DistributedException(
        "Processes started without an MPI launcher (torchrun's variables, srun without PMI) join through Open MPI's name server, and no ompi-server is on the PATH. Install Open MPI " +
        "(Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev; the repository's eng/install-mpi.sh does it).");

    /// <summary>Waits until the name server accepts connections, for at most <paramref name="timeout"/>.</summary>
    private void WaitForServer(IPAddress ip, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_server is { HasExited: true })
                throw new DistributedException($"Open MPI's name server (ompi-server) on port {_port} ended at once with exit code {_server.ExitCode}; its errors are above.");
            try
            {
                using var client = new TcpClient();
                client.Connect(ip, _port);
                return;
            }
            catch (SocketException) when (waited.Elapsed < timeout)
            {
                Thread.Sleep(100);
            }
            catch (SocketException e)
            {
                throw new DistributedException(
                    $"Rank {_cluster.GlobalRank} waited {waited.Elapsed.TotalSeconds:0.#} s for rank 0 at {Endpoint} and gave up ({e.Message}): rank 0 never " +
                    $"started Open MPI's name server there. {Advice}");
            }
        }
    }

    /// <summary>Rank 0's port, asked of the name server until rank 0 has published it.</summary>
    private string LookUpPort(Action<Action, Func<TimeSpan, DistributedException>> guarded)
    {
        _mpi.ReturnErrors(_mpi.Handles.CommWorld);
        _mpi.ReturnErrors(_mpi.Handles.CommSelf);
        string? port = null;
        guarded(() =>
        {
            while ((port = _mpi.LookupName(Service)) is null) Thread.Sleep(100);
        }, waited => new DistributedException(
            $"Rank {_cluster.GlobalRank} waited {waited.TotalSeconds:0.#} s for rank 0 to open its MPI port at {Endpoint} and gave up. {Advice}"));
        return port!;
    }

    /// <summary>The <c>RANK</c> of every process in <paramref name="comm"/>.</summary>
    private unsafe int[] Ranks(nint comm)
    {
        var ranks = new int[_mpi.Size(comm)];
        var own = _cluster.GlobalRank;
        fixed (int* all = ranks) _mpi.AllGather(&own, all, 1, _mpi.Handles.Int, comm);
        return ranks;
    }

    private DistributedException NeverArrived(TimeSpan waited, IReadOnlyList<int> present)
    {
        var missing = Enumerable.Range(0, _cluster.WorldSize).Except(present).ToList();
        return new DistributedException(
            $"Rank {_cluster.GlobalRank} waited {waited.TotalSeconds:0.#} s at {Endpoint} for the other processes of the job and gave up: " +
            $"rank{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} never joined (rank{(present.Count > 1 ? "s" : "")} {string.Join(", ", present.Order())} did). {Advice}");
    }
}
