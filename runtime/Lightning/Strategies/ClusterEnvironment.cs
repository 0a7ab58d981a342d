namespace Lightning.Strategies;

/// <summary>
/// Where this process sits in a job, as the launcher that started it says in environment variables (Lightning's
/// cluster environments): Open MPI's <c>mpirun</c>, MPICH's <c>mpiexec</c> (Hydra), Slurm's <c>srun</c>, or
/// torchrun's variables. MPI launchers are asked first, since <c>mpirun</c> inside a Slurm allocation sets both.
/// </summary>
/// <param name="Launcher">Who started the process, for messages: "mpirun", "mpiexec", "srun", "torchrun".</param>
/// <param name="GlobalRank">The rank among all processes.</param>
/// <param name="WorldSize">The number of processes.</param>
/// <param name="LocalRank">The rank among this machine's processes, which picks the GPU.</param>
/// <param name="NodeRank">The index of this machine.</param>
/// <param name="Singletons">
/// Whether MPI sees each process alone, so that they must be joined (<see cref="SingletonRendezvous"/>): processes started
/// with torchrun's variables, or by srun without PMI.
/// </param>
internal sealed record ClusterEnvironment(string Launcher, int GlobalRank, int WorldSize, int LocalRank, int NodeRank, bool Singletons = false)
{
    /// <summary>The environment of this process, or <see langword="null"/> when no launcher started it.</summary>
    public static ClusterEnvironment? Detect() => Detect(Environment.GetEnvironmentVariable);

    /// <summary>The environment <paramref name="variable"/> describes, or <see langword="null"/> when it names no launcher.</summary>
    public static ClusterEnvironment? Detect(Func<string, string?> variable)
    {
        int? Int(string name) => int.TryParse(variable(name), out var value) ? value : null;

        if (Int("OMPI_COMM_WORLD_SIZE") is { } ompiSize && Int("OMPI_COMM_WORLD_RANK") is { } ompiRank)
        {
            var localRank = Int("OMPI_COMM_WORLD_LOCAL_RANK") ?? 0;
            var localSize = Int("OMPI_COMM_WORLD_LOCAL_SIZE") ?? ompiSize;
            // Open MPI fills machines in order by default, so the machine index is the rank over the ranks per machine.
            return new("mpirun", ompiRank, ompiSize, localRank, ompiRank / Math.Max(1, localSize));
        }
        if (Int("PMI_SIZE") is { } pmiSize && Int("PMI_RANK") is { } pmiRank)
        {
            var localRank = Int("MPI_LOCALRANKID") ?? 0;
            var localSize = Int("MPI_LOCALNRANKS") ?? pmiSize;
            return new("mpiexec", pmiRank, pmiSize, localRank, pmiRank / Math.Max(1, localSize));
        }
        // An interactive allocation (salloc, srun --pty bash) sets Slurm's variables for a shell, not for a job step of ours.
        if (Int("SLURM_NTASKS") is { } tasks && Int("SLURM_PROCID") is { } procId && variable("SLURM_JOB_NAME") is not ("bash" or "interactive"))
            return new("srun", procId, tasks, Int("SLURM_LOCALID") ?? 0, Int("SLURM_NODEID") ?? 0,
                Singletons: variable("PMIX_RANK") is null && variable("PMI_FD") is null);
        if (Int("WORLD_SIZE") is { } worldSize && Int("RANK") is { } rank)
            return new("torchrun", rank, worldSize, Int("LOCAL_RANK") ?? 0, Int("NODE_RANK") ?? Int("GROUP_RANK") ?? 0, Singletons: true);
        return null;
    }
}
