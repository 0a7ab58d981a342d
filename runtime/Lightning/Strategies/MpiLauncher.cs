using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Lightning.Native;

namespace Lightning.Strategies;

/// <summary>
/// Starts a data-parallel job from a process started alone (Lightning's subprocess launcher): the same program,
/// with the same arguments, runs again as every rank under <c>mpirun -np N</c>, and this process waits for it and
/// exits with its exit code. Ctrl+C or SIGTERM sent to this process is passed on to <c>mpirun</c>, which ends every
/// rank (a terminal's Ctrl+C reaches it directly too, and a second one changes nothing).
/// </summary>
internal static class MpiLauncher
{
    /// <summary>The environment variable naming the launcher to use instead of <c>mpirun</c> on the PATH.</summary>
    public const string LauncherVariable = "LIGHTNING_MPIRUN";

    /// <summary>Runs this program as <paramref name="processes"/> ranks under <c>mpirun</c>, then exits this process.</summary>
    /// <exception cref="DistributedException">No <c>mpirun</c> was found; the message says how to install it.</exception>
    [DoesNotReturn]
    public static void RunSelf(int processes)
    {
        var start = new ProcessStartInfo(Launcher()) { UseShellExecute = false };
        foreach (var argument in Arguments(processes, MpiLibrary.Load(), Environment.ProcessPath, Environment.GetCommandLineArgs()))
            start.ArgumentList.Add(argument);
        Output.Error.WriteLine($"Starting {processes} processes: {start.FileName} {string.Join(' ', start.ArgumentList)}");
        using var mpirun = Process.Start(start) ?? throw new DistributedException($"Could not start {start.FileName}.");
        // This process stays until mpirun has ended the ranks, so that it exits with the job's exit code.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            _ = LibC.Kill(mpirun.Id, Sigint);
        });
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            _ = LibC.Kill(mpirun.Id, Sigterm);
        });
        mpirun.WaitForExit();
        Environment.Exit(mpirun.ExitCode);
    }

    /// <summary>
    /// <c>mpirun</c>'s arguments that run the program of <paramref name="processPath"/> with <paramref name="commandLine"/>
    /// (this process's, its first element the program or its assembly) as <paramref name="processes"/> ranks.
    /// </summary>
    public static List<string> Arguments(int processes, MpiLibrary mpi, string? processPath, IReadOnlyList<string> commandLine)
    {
        var arguments = new List<string> { "-np", processes.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (mpi.Handles.Implementation == "Open MPI")
        {
            // Open MPI refuses more ranks than cores unless told, and refuses root unless told; a user asking for N ranks here meant both.
            arguments.Add("--oversubscribe");
            if (Environment.UserName == "root") arguments.Add("--allow-run-as-root");
        }
        var program = processPath ?? throw new DistributedException("This process's executable is unknown, so it cannot be started again under mpirun.");
        arguments.Add(program);
        // Under the dotnet host, the first argument is the application's assembly, which the host needs again.
        var rest = Path.GetFileNameWithoutExtension(program) == "dotnet" ? commandLine : commandLine.Skip(1);
        arguments.AddRange(rest);
        return arguments;
    }

    private static string Launcher()
    {
        var named = Environment.GetEnvironmentVariable(LauncherVariable);
        if (!string.IsNullOrEmpty(named)) return named;
        return ProgramSearch.OnPath("mpirun", "mpiexec") ?? throw new DistributedException(
            "Training on several devices starts one process per device with mpirun, and no mpirun or mpiexec is on the PATH. Install Open MPI " +
            $"(Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev; the repository's eng/install-mpi.sh does it), or name the launcher in {LauncherVariable}.");
    }

    private const int Sigint = 2;
    private const int Sigterm = 15;
}
