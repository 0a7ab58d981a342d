using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>Starts this test assembly as the ranks of a data-parallel job under mpirun, as a user starts a program.</summary>
internal static class DdpJob
{
    /// <summary>The dotnet host that runs this test assembly.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>
    /// Open MPI refuses to run as root without these (test machines and containers often are root), and by
    /// default refuses more ranks than cores.
    /// </summary>
    public static Dictionary<string, string> MpiEnvironment() => new()
    {
        ["OMPI_ALLOW_RUN_AS_ROOT"] = "1",
        ["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1",
        ["OMPI_MCA_rmaps_base_oversubscribe"] = "1",
    };

    /// <summary>
    /// Starts the processes of <paramref name="ranks"/> (of <paramref name="worldSize"/>) of this assembly with
    /// <paramref name="arguments"/> at once, each with torchrun's variables and no MPI launcher, as <c>torchrun</c> or a
    /// user by hand starts them, meeting on a free port of this machine; their results in the order of <paramref name="ranks"/>.
    /// Their variables say there are <paramref name="perNode"/> processes on each machine.
    /// </summary>
    public static CommandResult[] WithTorchrunVariables(int worldSize, int perNode, int[] ranks, params string[] arguments)
    {
        var port = FreePort();
        return Together(ranks, rank => new Dictionary<string, string>
        {
            ["RANK"] = Invariant(rank),
            ["WORLD_SIZE"] = Invariant(worldSize),
            ["LOCAL_RANK"] = Invariant(rank % perNode),
            ["LOCAL_WORLD_SIZE"] = Invariant(perNode),
            ["NODE_RANK"] = Invariant(rank / perNode),
            ["MASTER_ADDR"] = "127.0.0.1",
            ["MASTER_PORT"] = Invariant(port),
        }, arguments);
    }

    /// <summary>
    /// Starts <paramref name="tasks"/> processes of this assembly with <paramref name="arguments"/> at once, each with the
    /// variables <c>srun</c> gives a job step's task on this machine when it starts it without PMI, and no MPI launcher;
    /// their results in rank order. The job id is one whose port (15000 plus its last four digits) is free.
    /// </summary>
    public static CommandResult[] WithSlurmVariables(int tasks, params string[] arguments)
    {
        var job = Enumerable.Range(0, 10000).Select(offset => 4_210_000 + (Environment.ProcessId + offset) % 10000).First(id => IsFree(15000 + id % 10000));
        return Together(Enumerable.Range(0, tasks).ToArray(), rank => new Dictionary<string, string>
        {
            ["SLURM_JOB_ID"] = Invariant(job),
            ["SLURM_JOBID"] = Invariant(job),
            ["SLURM_JOB_NAME"] = "train",
            ["SLURM_STEP_ID"] = "0",
            ["SLURM_JOB_NODELIST"] = "localhost",
            ["SLURM_NNODES"] = "1",
            ["SLURM_NTASKS"] = Invariant(tasks),
            ["SLURM_PROCID"] = Invariant(rank),
            ["SLURM_LOCALID"] = Invariant(rank),
            ["SLURM_NODEID"] = "0",
        }, arguments);
    }

    private static CommandResult[] Together(int[] ranks, Func<int, Dictionary<string, string>> variables, string[] arguments) =>
        Task.WhenAll(ranks.Select(rank => Task.Run(() =>
            Command.Run(DotnetHost, ["exec", typeof(Program).Assembly.Location, .. arguments], environment: variables(rank))))).Result;

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>A TCP port no process listens on now.</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Runs <c>mpirun -np <paramref name="ranks"/></c> of this assembly with <paramref name="arguments"/>.</summary>
    public static CommandResult Mpirun(int ranks, params string[] arguments) =>
        Command.Run("mpirun", ["-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), DotnetHost, "exec", typeof(Program).Assembly.Location, .. arguments],
            environment: MpiEnvironment());
}
