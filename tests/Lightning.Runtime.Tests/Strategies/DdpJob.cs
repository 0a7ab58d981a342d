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
        var processes = ranks.Select(rank => Task.Run(() => Command.Run(DotnetHost, ["exec", typeof(Program).Assembly.Location, .. arguments],
            environment: new Dictionary<string, string>
            {
                ["RANK"] = Invariant(rank),
                ["WORLD_SIZE"] = Invariant(worldSize),
                ["LOCAL_RANK"] = Invariant(rank % perNode),
                ["LOCAL_WORLD_SIZE"] = Invariant(perNode),
                ["NODE_RANK"] = Invariant(rank / perNode),
                ["MASTER_ADDR"] = "127.0.0.1",
                ["MASTER_PORT"] = Invariant(port),
            }))).ToArray();
        return Task.WhenAll(processes).Result;
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
