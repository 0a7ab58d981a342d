using System.Diagnostics;
using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>
/// A one-machine Slurm cluster (Debian's <c>slurm-wlm</c>, which eng/install-test-prerequisites.sh installs): its
/// controller and node daemons run in the foreground from a configuration in a folder of their own, on free ports,
/// until disposed. Jobs start with <see cref="Srun"/>, which waits in Slurm's queue until the node has registered.
/// </summary>
internal sealed class SlurmCluster : IDisposable
{
    private readonly string _configuration;
    private readonly List<Process> _daemons = [];

    private SlurmCluster(string folder)
    {
        _configuration = Path.Combine(folder, "slurm.conf");
        var host = Environment.MachineName;
        var user = Environment.UserName;
        File.WriteAllLines(_configuration,
        [
            "ClusterName=lightningtests",
            $"SlurmctldHost={host}",
            $"SlurmctldPort={DdpJob.FreePort()}",
            $"SlurmdPort={DdpJob.FreePort()}",
            // No munge daemon to run: the cluster is this machine's alone.
            "AuthType=auth/none",
            "CredType=cred/none",
            "MpiDefault=none",
            "ProctrackType=proctrack/pgid",
            "TaskPlugin=task/none",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_Core",
            "SwitchType=switch/none",
            "ReturnToService=2",
            $"SlurmUser={user}",
            $"SlurmdUser={user}",
            $"StateSaveLocation={Directory.CreateDirectory(Path.Combine(folder, "state")).FullName}",
            $"SlurmdSpoolDir={Directory.CreateDirectory(Path.Combine(folder, "spool")).FullName}",
            $"SlurmctldPidFile={Path.Combine(folder, "slurmctld.pid")}",
            $"SlurmdPidFile={Path.Combine(folder, "slurmd.pid")}",
            $"SlurmctldLogFile={Path.Combine(folder, "slurmctld.log")}",
            $"SlurmdLogFile={Path.Combine(folder, "slurmd.log")}",
            "JobCompType=jobcomp/none",
            "AccountingStorageType=accounting_storage/none",
            "JobAcctGatherType=jobacct_gather/none",
            "SchedulerType=sched/builtin",
            $"NodeName={host} CPUs={Environment.ProcessorCount} State=UNKNOWN",
            // Tasks share the cores, as the other DDP tests' ranks do.
            $"PartitionName=tests Nodes={host} Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:8",
        ]);
    }

    /// <summary>Starts the controller and the node.</summary>
    public static SlurmCluster Start()
    {
        var cluster = new SlurmCluster(TempDir.Create());
        try
        {
            cluster.StartDaemon("slurmctld", "-D", "-c", "-f", cluster._configuration);
            cluster.StartDaemon("slurmd", "-D", "-f", cluster._configuration);
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Runs <c>srun</c> with <paramref name="arguments"/> in this cluster.</summary>
    public CommandResult Srun(params string[] arguments) => Command.Run("srun", arguments, environment: Variables());

    /// <summary>Ends the daemons (a job's tasks have ended with their <c>srun</c>).</summary>
    public void Dispose()
    {
        foreach (var daemon in Enumerable.Reverse(_daemons))
        {
            if (!daemon.HasExited) daemon.Kill();
            daemon.WaitForExit();
            daemon.Dispose();
        }
        _daemons.Clear();
    }

    private Dictionary<string, string> Variables() => new() { ["SLURM_CONF"] = _configuration };

    private void StartDaemon(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var daemon = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        _daemons.Add(daemon);
        // Its log goes to the file the configuration names; the pipes are drained so that nothing it prints blocks it.
        daemon.OutputDataReceived += (_, _) => { };
        daemon.ErrorDataReceived += (_, _) => { };
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
    }
}
