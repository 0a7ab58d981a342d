using Lightning.Strategies;

namespace Lightning.Tests;

/// <summary>The rank of a process comes from the variables its launcher sets, MPI launchers first.</summary>
[TestClass]
public sealed class ClusterEnvironmentTests
{
    private static ClusterEnvironment? Detect(params (string Name, string Value)[] variables)
    {
        var set = variables.ToDictionary(v => v.Name, v => v.Value);
        return ClusterEnvironment.Detect(name => set.GetValueOrDefault(name));
    }

    [TestMethod]
    public void OpenMpiRanksAndMachinesComeFromItsVariables() =>
        Assert.AreEqual(new ClusterEnvironment("mpirun", 5, 8, 1, 1),
            Detect(("OMPI_COMM_WORLD_RANK", "5"), ("OMPI_COMM_WORLD_SIZE", "8"), ("OMPI_COMM_WORLD_LOCAL_RANK", "1"), ("OMPI_COMM_WORLD_LOCAL_SIZE", "4")));

    [TestMethod]
    public void MpichHydraRanksComeFromPmi() =>
        Assert.AreEqual(new ClusterEnvironment("mpiexec", 3, 4, 1, 1),
            Detect(("PMI_RANK", "3"), ("PMI_SIZE", "4"), ("MPI_LOCALRANKID", "1"), ("MPI_LOCALNRANKS", "2")));

    [TestMethod]
    public void SlurmTasksAreRanksExceptInAnInteractiveShell()
    {
        Assert.AreEqual(new ClusterEnvironment("srun", 2, 4, 0, 1, Singletons: true),
            Detect(("SLURM_PROCID", "2"), ("SLURM_NTASKS", "4"), ("SLURM_LOCALID", "0"), ("SLURM_NODEID", "1"), ("SLURM_JOB_NAME", "train")));
        Assert.IsNull(Detect(("SLURM_PROCID", "0"), ("SLURM_NTASKS", "4"), ("SLURM_JOB_NAME", "bash")));
    }

    [TestMethod]
    public void SlurmTasksStartedWithPmiAreJoinedByMpiAndOthersByTheRuntime()
    {
        Assert.IsFalse(Detect(("SLURM_PROCID", "0"), ("SLURM_NTASKS", "2"), ("PMIX_RANK", "0"))!.Singletons);
        Assert.IsTrue(Detect(("SLURM_PROCID", "0"), ("SLURM_NTASKS", "2"))!.Singletons);
    }

    [TestMethod]
    public void SlurmTasksMeetOnTheFirstMachineOfTheJob()
    {
        Assert.AreEqual("gpu03", SingletonRendezvous.FirstHost("gpu[03-05,09],cpu1"));
        Assert.AreEqual("node7", SingletonRendezvous.FirstHost("node[7,9]"));
        Assert.AreEqual("login1", SingletonRendezvous.FirstHost("login1,node[1-2]"));
        Assert.AreEqual("localhost", SingletonRendezvous.FirstHost("localhost"));
        Assert.IsNull(SingletonRendezvous.FirstHost(null));
    }

    [TestMethod]
    public void TorchrunVariablesAreReadAndMpirunWinsOverSlurmAndTorchrun()
    {
        Assert.AreEqual(new ClusterEnvironment("torchrun", 1, 2, 1, 0, Singletons: true), Detect(("RANK", "1"), ("WORLD_SIZE", "2"), ("LOCAL_RANK", "1"), ("NODE_RANK", "0")));
        Assert.AreEqual("mpirun", Detect(("OMPI_COMM_WORLD_RANK", "0"), ("OMPI_COMM_WORLD_SIZE", "2"), ("SLURM_PROCID", "0"), ("SLURM_NTASKS", "2"),
            ("RANK", "0"), ("WORLD_SIZE", "2"))!.Launcher);
        Assert.IsNull(Detect(("HOME", "/root")));
    }
}
