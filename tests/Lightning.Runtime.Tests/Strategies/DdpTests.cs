using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>Data-parallel jobs of this assembly's ranks (<see cref="DdpWorkerProcess"/>), started as users start them.</summary>
[TestClass]
[OSCondition(OperatingSystems.Linux | OperatingSystems.OSX, IgnoreMessage = "Jobs start under Open MPI's or MPICH's mpirun (eng/install-mpi.sh installs it on Linux); Windows has MS-MPI's mpiexec only.")]
public sealed class DdpTests
{
    [TestMethod]
    [DataRow(2, 1, false)]
    [DataRow(2, 2, false)]
    [DataRow(2, 2, true)]
    [DataRow(4, 1, false)]
    public void NRanksWithBatchBEndWithTheWeightsOfOneRankWithBatchNB(int ranks, int accumulate, bool multiTensor)
    {
        var folder = TempDir.Create();
        var job = DdpJob.Mpirun(ranks, "ddp-worker", "equivalence", folder, accumulate.ToString(CultureInfo.InvariantCulture), "auto", multiTensor ? "multi-tensor" : "torch");
        Assert.AreEqual(0, job.ExitCode, job.ToString());
        AssertRanksMatchOneProcess(folder, ranks, accumulate, multiTensor);
        StringAssert.Contains(job.Output, $"rank {ranks - 1} of {ranks} took {DdpWorkerProcess.Steps} steps");
    }

    [TestMethod]
    public void AResumedFitMatchesAStraightOneBitForBit()
    {
        var folder = TempDir.Create();
        foreach (var phase in new[] { "straight", "resumed" })
        {
            var job = DdpJob.Mpirun(2, "ddp-worker", "resume", folder, phase);
            Assert.AreEqual(0, job.ExitCode, job.ToString());
        }
        foreach (var rank in new[] { 0, 1 })
            CollectionAssert.AreEqual(DdpWorkerProcess.ReadWeights(Path.Combine(folder, $"straight{rank}.txt")),
                DdpWorkerProcess.ReadWeights(Path.Combine(folder, $"resumed{rank}.txt")), $"rank {rank}");
    }

    [TestMethod]
    public void StartedAloneWithTwoDevicesItStartsTheRanksItself()
    {
        var folder = TempDir.Create();
        var job = Command.Run(DdpJob.DotnetHost, ["exec", typeof(Program).Assembly.Location, "ddp-worker", "equivalence", folder, "1", "2", "torch"]);
        Assert.AreEqual(0, job.ExitCode, job.ToString());
        StringAssert.Contains(job.Output, "Starting 2 processes: ");
        AssertRanksMatchOneProcess(folder, 2, 1, multiTensor: false);
    }

    [TestMethod]
    public void ResumingOnAnotherNumberOfProcessesWarnsThatItIsNotExact()
    {
        var folder = TempDir.Create();
        var straight = DdpJob.Mpirun(2, "ddp-worker", "resume", folder, "straight");
        Assert.AreEqual(0, straight.ExitCode, straight.ToString());

        var alone = Command.Run(DdpJob.DotnetHost, ["exec", typeof(Program).Assembly.Location, "ddp-worker", "resume", folder, "resumed"]);

        Assert.AreEqual(0, alone.ExitCode, alone.ToString());
        StringAssert.Contains(alone.Output, "saved by a fit on 2 processes and resumes on 1");
        Assert.IsTrue(File.Exists(Path.Combine(folder, "resumed0.txt")), "the resumed fit went on");
    }

    [TestMethod]
    public void CtrlCOnTheProcessStartedAloneEndsEveryRank()
    {
        var folder = TempDir.Create();
        var start = new ProcessStartInfo(DdpJob.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "exec", typeof(Program).Assembly.Location, "ddp-worker", "endless", folder }) start.ArgumentList.Add(argument);
        using var launcher = Process.Start(start)!;
        var errors = launcher.StandardError.ReadToEndAsync();
        var training = new HashSet<string>();
        var bothTraining = Task.Run(() =>
        {
            // Under mpirun a rank's output is a terminal's, which .NET may open with a control sequence: match inside the line.
            while (training.Count < 2 && launcher.StandardOutput.ReadLine() is { } line)
                if (System.Text.RegularExpressions.Regex.Match(line, "rank [0-9] training") is { Success: true } match) training.Add(match.Value);
        });
        // Not a timed assertion: a guard so that ranks that never train fail this test instead of stalling the run.
        if (!bothTraining.Wait(TimeSpan.FromMinutes(5))) launcher.Kill(entireProcessTree: true);
        Assert.AreEqual(2, training.Count, $"both ranks should train; the launcher's errors: {(launcher.HasExited ? errors.Result : "(running)")}");

        Assert.AreEqual(0, Kill(launcher.Id, Sigint), "sending SIGINT, as Ctrl+C does");
        _ = launcher.StandardOutput.ReadToEndAsync();
        Assert.IsTrue(launcher.WaitForExit(TimeSpan.FromMinutes(2)), "the launcher still ran after Ctrl+C");
        Assert.AreNotEqual(0, launcher.ExitCode);
        Assert.AreEqual(0, ProcessesMentioning(folder), "a rank outlived Ctrl+C");
    }

    private const int Sigint = 2;

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [TestMethod]
    public void ProcessesStartedWithTorchrunsVariablesJoinAndTrainAsOneRankWithBatchTwoB()
    {
        var folder = TempDir.Create();
        // As on two machines of one process each.
        var jobs = DdpJob.WithTorchrunVariables(2, 1, [0, 1], "ddp-worker", "equivalence", folder, "1", "auto", "torch");

        foreach (var job in jobs) Assert.AreEqual(0, job.ExitCode, job.ToString());
        // Each process's trainer has the ranks its RANK, LOCAL_RANK and NODE_RANK say.
        StringAssert.Contains(jobs[0].Output, $"rank 0 of 2 took {DdpWorkerProcess.Steps} steps (local rank 0, node 0)");
        StringAssert.Contains(jobs[1].Output, $"rank 1 of 2 took {DdpWorkerProcess.Steps} steps (local rank 0, node 1)");
        AssertRanksMatchOneProcess(folder, 2, 1, multiTensor: false);
        Assert.AreEqual(0, ProcessesMentioning("ompi-server"), "Open MPI's name server outlived the job");
    }

    [TestMethod]
    public void SlurmTasksStartedWithoutPmiJoinAndTrainAsOneRankWithBatchTwoB()
    {
        var folder = TempDir.Create();
        var jobs = DdpJob.WithSlurmVariables(2, "ddp-worker", "equivalence", folder, "1", "auto", "torch");

        foreach (var job in jobs) Assert.AreEqual(0, job.ExitCode, job.ToString());
        StringAssert.Contains(jobs[0].Output, $"rank 0 of 2 took {DdpWorkerProcess.Steps} steps (local rank 0, node 0)");
        StringAssert.Contains(jobs[1].Output, $"rank 1 of 2 took {DdpWorkerProcess.Steps} steps (local rank 1, node 0)");
        AssertRanksMatchOneProcess(folder, 2, 1, multiTensor: false);
    }

    [TestMethod]
    [DataRow("none")]
    [DataRow("pmix")]
    public void SrunStartsTwoTasksThatTrainAsOneRankWithBatchTwoB(string mpi)
    {
        var folder = TempDir.Create();
        using var slurm = SlurmCluster.Start();
        // Without PMI (Slurm's default) the tasks join one another; with PMIx, Open MPI joins them.
        var job = slurm.Srun($"--mpi={mpi}", "--ntasks=2", DdpJob.DotnetHost, "exec", typeof(Program).Assembly.Location,
            "ddp-worker", "equivalence", folder, "1", "auto", "torch");

        Assert.AreEqual(0, job.ExitCode, job.ToString());
        StringAssert.Contains(job.Output, $"rank 1 of 2 took {DdpWorkerProcess.Steps} steps (local rank 1, node 0)");
        AssertRanksMatchOneProcess(folder, 2, 1, multiTensor: false);
    }

    [TestMethod]
    public void AProcessStartedWithTorchrunsVariablesThatThrowsEndsTheOthers()
    {
        var folder = TempDir.Create();
        // MPI_Abort ends only the calling process here; rank 0's timeout is 60 s, so it must end by rank 1's message.
        var jobs = DdpJob.WithTorchrunVariables(2, 2, [0, 1], "ddp-worker", "fail", folder, "throw");

        foreach (var job in jobs) Assert.AreNotEqual(0, job.ExitCode, job.ToString());
        StringAssert.Contains(jobs[1].Output, DdpWorkerProcess.FailureMessage);
        StringAssert.Contains(jobs[0].Output, "Rank 0 of 2 ends because rank 1 failed");
        Assert.AreEqual(0, ProcessesMentioning(folder), "a rank outlived the job");
    }

    [TestMethod]
    public void AProcessStartedWithTorchrunsVariablesEndsNamingTheRankThatNeverJoined()
    {
        var folder = TempDir.Create();
        // Rank 0 of 2 alone, with a timeout of seconds: rank 1 never arrives.
        var job = DdpJob.WithTorchrunVariables(2, 2, [0], "ddp-worker", "fail", folder, "hang")[0];

        Assert.AreNotEqual(0, job.ExitCode, job.ToString());
        StringAssert.Contains(job.Output, "Rank 0 waited");
        StringAssert.Contains(job.Output, "rank 1 never joined");
        Assert.AreEqual(0, ProcessesMentioning(folder), "the rank outlived its error");
        Assert.AreEqual(0, ProcessesMentioning("ompi-server"), "Open MPI's name server outlived the job");
    }

    [TestMethod]
    public void OnlyRankZeroWritesAndEveryRankDecidesAlike()
    {
        var folder = TempDir.Create();
        var job = DdpJob.Mpirun(2, "ddp-worker", "rank-aware", folder);
        Assert.AreEqual(0, job.ExitCode, job.ToString());
        Assert.AreEqual(1, job.Output.Split('\n').Count(line => line.Contains("Print from rank", StringComparison.Ordinal)), job.Output);
        StringAssert.Contains(job.Output, "Print from rank 0", "the module's Print writes on rank 0 only");

        var lines = new[] { 0, 1 }.Select(rank => File.ReadAllLines(Path.Combine(folder, $"rank{rank}.txt")).Select(line => line.Split('=')).ToList()).ToList();
        foreach (var rank in lines) Assert.AreEqual("10;11", rank.Single(p => p[0] == "gathered")[1], "AllGather stacks every rank's tensor in rank order");
        CollectionAssert.AreEqual(new[] { "rank 0" }, File.ReadAllLines(Path.Combine(folder, "prepared.txt")), "PrepareData once per machine");
        var ranks = lines.Select(rank => rank.Where(p => p[0] != "gathered").ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
        foreach (var rank in ranks)
        {
            Assert.AreEqual(DdpWorkerProcess.RankOneStopsAt + 1, rank["epoch"], "early stopping, seen by rank 1 alone, stops both after the same epoch");
            Assert.AreEqual(0.5, rank["rank_mean"], "the mean over the ranks");
            Assert.AreEqual(1.0, rank["rank_max"]);
            Assert.AreEqual(DdpWorkerProcess.Steps * 2 * DdpWorkerProcess.BatchPerRank, rank["rows"], "the sum over both ranks' validation rows");
        }
        var versions = Directory.GetDirectories(Path.Combine(folder, "lightning_logs")).Select(Path.GetFileName).ToList();
        CollectionAssert.AreEqual(new[] { "version_0" }, versions, "one logger folder");
        var metrics = File.ReadAllLines(Path.Combine(folder, "lightning_logs", "version_0", "metrics.csv"));
        Assert.AreEqual(metrics.Length, metrics.Distinct().Count(), "each row once");
        var checkpoints = Directory.GetFiles(Path.Combine(folder, "lightning_logs", "version_0", "checkpoints")).Select(Path.GetFileName).ToList();
        Assert.AreEqual(3, checkpoints.Count, string.Join(", ", checkpoints));
        Assert.IsTrue(checkpoints.Contains("last.ckpt") && checkpoints.All(c => !c!.Contains("-v")), string.Join(", ", checkpoints));
    }

    [TestMethod]
    public void PredictGathersTheRanksPredictionsInOrderAndEvaluationMatchesOneProcess()
    {
        var folder = TempDir.Create();
        var job = DdpJob.Mpirun(2, "ddp-worker", "evaluate", folder);
        Assert.AreEqual(0, job.ExitCode, job.ToString());
        DdpWorkerProcess.Evaluate(folder, "auto", "alone");

        var expected = File.ReadAllLines(Path.Combine(folder, "alone.txt"));
        Assert.AreEqual((DdpWorkerProcess.PredictRows + DdpWorkerProcess.BatchPerRank - 1) / DdpWorkerProcess.BatchPerRank + 2, expected.Length);
        foreach (var rank in new[] { 0, 1 })
        {
            var lines = File.ReadAllLines(Path.Combine(folder, $"rank{rank}.txt"));
            Assert.AreEqual(expected.Length, lines.Length, $"rank {rank}: as many prediction batches as one process, the padding row dropped");
            foreach (var (want, got) in expected.Zip(lines))
            {
                var wanted = Values(want);
                var gotten = Values(got);
                Assert.AreEqual(wanted.Length, gotten.Length, $"rank {rank}: {got} for {want}");
                var largest = wanted.Zip(gotten, (a, b) => Math.Abs(a - b)).Max();
                Assert.IsTrue(largest <= 1e-6, $"rank {rank}: {got} for {want}");
            }
        }
    }

    [TestMethod]
    public void SyncBatchnormOnTwoRanksWithBatchBTrainsAsOneRankWithBatchTwoB()
    {
        var folder = TempDir.Create();
        var job = DdpJob.Mpirun(2, "ddp-worker", "sync-batchnorm", folder, "call");
        Assert.AreEqual(0, job.ExitCode, job.ToString());

        var (expected, _) = DdpWorkerProcess.FitSyncBatchnorm(TempDir.Create(), "auto", 2 * DdpWorkerProcess.BatchPerRank);
        foreach (var rank in new[] { 0, 1 })
        {
            var values = DdpWorkerProcess.ReadWeights(Path.Combine(folder, $"rank{rank}.txt"));
            Assert.AreEqual(expected.Length, values.Length);
            var largest = expected.Zip(values, (a, b) => Math.Abs(a - b)).Max();
            Assert.IsTrue(largest <= 1e-5, $"rank {rank}'s weights and running statistics differ from one process's by up to {largest}");
        }
    }

    [TestMethod]
    public void SyncBatchnormRefusesALayerRunPastItsHooks()
    {
        var job = DdpJob.Mpirun(2, "ddp-worker", "sync-batchnorm", TempDir.Create(), "forward");

        Assert.AreNotEqual(0, job.ExitCode, job.ToString());
        StringAssert.Contains(job.Output, "SyncBatchnorm: the BatchNorm layer '_norm' ran in training through forward()");
    }

    /// <summary>The numbers of a line of <see cref="DdpWorkerProcess.Evaluate(string, string, string?)"/>'s file.</summary>
    private static double[] Values(string line) =>
        line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Split(';').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    [TestMethod]
    [DataRow("throw")]
    [DataRow("kill")]
    [DataRow("hang")]
    public void ARankThatFailsEndsEveryRankWithItsError(string how)
    {
        var folder = TempDir.Create();
        var job = DdpJob.Mpirun(2, "ddp-worker", "fail", folder, how);

        Assert.AreNotEqual(0, job.ExitCode, job.ToString());
        if (how == "throw")
        {
            StringAssert.Contains(job.Output, "Rank 1 of 2 failed");
            StringAssert.Contains(job.Output, DdpWorkerProcess.FailureMessage);
        }
        if (how == "hang") StringAssert.Contains(job.Output, "Rank 0 of 2 failed, which ends every rank: Lightning.DistributedException: Rank 0 waited");
        if (how == "hang") StringAssert.Contains(job.Output, "rank 1 never joined it");
        Assert.AreEqual(0, ProcessesMentioning(folder), "a rank outlived the job");
    }

    /// <summary>
    /// How many processes whose command line holds <paramref name="text"/> are still running 60 seconds (the issue's
    /// bound) after the job ended. mpirun can return while a killed rank is still tearing down its LibTorch
    /// mappings, so each one found is waited for (until it ends, reaped or not) rather than counted at once.
    /// </summary>
    private static int ProcessesMentioning(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        return Directory.GetDirectories("/proc")
            .Select(dir => int.TryParse(Path.GetFileName(dir), out var pid) && CommandLineHolds(dir, text) ? pid : 0)
            .Where(pid => pid != 0)
            .Count(pid => !HasEnded(pid, deadline));
    }

    private static bool CommandLineHolds(string processDir, string text)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processDir, "cmdline")).Contains(text, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool HasEnded(int pid, DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        return ProcessExit.Wait(pid, left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    private static void AssertRanksMatchOneProcess(string folder, int ranks, int accumulate, bool multiTensor)
    {
        var reference = new Trainer(DdpWorkerProcess.Options(TempDir.Create(), accumulate, "auto"));
        manual_seed(1);
        using var model = new DdpWorkerProcess.Mlp(multiTensor);
        var (x, y) = DdpWorkerProcess.Data(accumulate);
        reference.Fit(model, new TensorDataLoader(x, y, ranks * DdpWorkerProcess.BatchPerRank, shuffle: true, seed: DdpWorkerProcess.DataSeed));
        Assert.AreEqual(DdpWorkerProcess.Steps, reference.GlobalStep);
        var expected = model.Weights();

        foreach (var rank in Enumerable.Range(0, ranks))
        {
            var weights = DdpWorkerProcess.ReadWeights(Path.Combine(folder, $"rank{rank}.txt"));
            Assert.AreEqual(expected.Length, weights.Length);
            var largest = expected.Zip(weights, (a, b) => Math.Abs(a - b)).Max();
            Assert.IsTrue(largest <= 1e-5, $"rank {rank}'s weights differ from one process's by up to {largest}");
        }
    }
}
