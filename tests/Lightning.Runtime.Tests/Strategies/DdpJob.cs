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

    /// <summary>Runs <c>mpirun -np <paramref name="ranks"/></c> of this assembly with <paramref name="arguments"/>.</summary>
    public static CommandResult Mpirun(int ranks, params string[] arguments) =>
        Command.Run("mpirun", ["-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), DotnetHost, "exec", typeof(Program).Assembly.Location, .. arguments],
            environment: MpiEnvironment());
}
