using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lightning.Bench.Cli;
using Lightning.Bench.Data;
using Lightning.Bench.Measurement;
using Lightning.Bench.Models;
using Lightning.Native;
using Lightning.Strategies;
using static TorchSharp.torch;

namespace Lightning.Bench.Cases;

/// <summary>
/// Data-parallel training on CPU ranks (issue 18): the parity module on Fashion-MNIST with <c>Strategy = "ddp"</c>, one
/// thread per rank, run as 1 rank and as 2 ranks under mpirun with the same batch per rank, alternately. Each rank
/// reports its median step time; the 2-rank job also times, on the same bytes as the module's gradients, the
/// strategy's all-reduce as gradient averaging calls it (a sum: the loss was divided by the ranks before backward), with
/// its staging and timeout watchdog, and a bare <c>MPI_Allreduce</c> called directly. The share of a step spent in the all-reduce is that all-reduce's median time over the
/// median step time.
/// </summary>
internal static class DdpCase
{
    private const int BatchSize = 128;
    private const int WarmUpSteps = 20;

    /// <summary>The parent: runs the jobs and writes <c>--out</c>.</summary>
    public static void Run(BenchArgs args)
    {
        var runs = args.Int("runs", 3);
        var steps = args.Int("steps", 150);
        var data = args.String("data", FashionMnist.DebianFolder);
        var outFile = args.Required("out");
        var raw = Directory.CreateTempSubdirectory("lightning-bench-ddp").FullName;
        var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
        var rankArguments = new[] { "ddp-rank", "--steps", steps.ToString(CultureInfo.InvariantCulture), "--data", data, "--out-dir", raw };
        for (var run = 0; run < runs; run++)
        {
            ChildProcess.Check(ChildProcess.StartSelf(rankArguments), "the 1-rank job");
            var mpirun = new List<string> { "-np", "2", "--oversubscribe" };
            if (Environment.UserName == "root") mpirun.Add("--allow-run-as-root");
            ChildProcess.Check(ChildProcess.Start("mpirun", [.. mpirun, Environment.ProcessPath!, .. rankArguments]), "the 2-rank job");
        }
        var lines = Directory.GetFiles(raw, "*.txt").SelectMany(File.ReadAllLines).Select(l => l.Split(' ')).ToList();
        double[] Values(string key) => lines.Where(l => l[0] == key).Select(l => double.Parse(l[1], CultureInfo.InvariantCulture)).ToArray();
        var one = Stats.Of(Values("step-1"));
        var two = Stats.Of(Values("step-2"));
        var reduce = Stats.Of(Values("allreduce"));
        var bare = Stats.Of(Values("bare"));
        var bytes = Values("bytes")[0];
        var scaling = two.Median / one.Median;
        var overBare = reduce.Median / bare.Median;
        var share = reduce.Median / 1000 / two.Median;
        var report = new StringBuilder()
            .AppendLine("# Data-parallel training on CPU ranks (issue 18)")
            .AppendLine()
            .AppendLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {runs} runs of each job alternately, {steps} steps after {WarmUpSteps} warm-up steps,")
            .AppendLine($"the parity module (784-128-10 with batch norm, Adam) on Fashion-MNIST, batch {BatchSize} per rank, one thread per rank, Open MPI over shared memory.")
            .AppendLine()
            .AppendLine("| | min / median / max | goal |")
            .AppendLine("| --- | --- | --- |")
            .AppendLine($"| step, 1 rank (ms) | {one.Format("0.00")} | |")
            .AppendLine($"| step, 2 ranks (ms) | {two.Format("0.00")} | |")
            .AppendLine($"| 2 ranks / 1 rank, per step | {scaling:0.00} | |")
            .AppendLine($"| gradient all-reduce of {bytes / 1024:0} KiB, the strategy's (µs) | {reduce.Format("0")} | |")
            .AppendLine($"| the same bytes, bare blocking MPI_Allreduce (µs) | {bare.Format("0")} | |")
            .AppendLine($"| strategy / bare | {overBare:0.00} | ≤ 1.1 {(overBare <= 1.1 ? "met" : "missed")} |")
            .AppendLine($"| share of a 2-rank step in the all-reduce | {share:P1} | ≤ 10% {(share <= 0.10 ? "met" : "missed")} |")
            .AppendLine()
            .AppendLine($"The load average was {load} when the jobs started. The all-reduce is timed with both ranks ready (after a barrier), so it is")
            .AppendLine("the communication alone; a 2-rank step also holds each rank's wait for the other to reach the all-reduce, which is long when the")
            .AppendLine("two ranks do not each have a core of their own (other processes on the machine, or more ranks than cores).");
        File.WriteAllText(outFile, report.ToString());
        Console.Write(report);
        Directory.Delete(raw, recursive: true);
    }

    /// <summary>One rank of a job: fits, then times the all-reduces, and writes its numbers to <c>--out-dir</c>.</summary>
    public static void RunRank(BenchArgs args)
    {
        set_num_threads(1);
        var steps = args.Int("steps", 150);
        var (x, y) = FashionMnist.Train(args.String("data", FashionMnist.DebianFolder));
        var options = BareTrainer.Options("cpu", -1);
        options.Strategy = "ddp";
        options.MaxSteps = WarmUpSteps + steps;
        var ends = new List<long>();
        options.Callbacks.Add(new LambdaCallback(onTrainBatchEnd: (_, _, _, _, _) => ends.Add(Stopwatch.GetTimestamp())));
        var trainer = new Trainer(options);
        Trainer.SeedEverything(1234);
        using var model = new ParityModule();
        trainer.Fit(model, new TensorDataLoader(x, y, BatchSize, shuffle: true));
        var stepTimes = ends.Skip(WarmUpSteps).Zip(ends.Skip(WarmUpSteps + 1), (a, b) => Stopwatch.GetElapsedTime(a, b).TotalMilliseconds).ToList();
        var output = new List<string> { $"step-{trainer.WorldSize} {Stats.Of(stepTimes).Median.ToString("R", CultureInfo.InvariantCulture)}" };
        if (trainer.WorldSize > 1) output.AddRange(AllReduceTimes(trainer.Strategy, model.parameters().Sum(p => p.numel())));
        if (trainer.IsGlobalZero)
            File.WriteAllLines(Path.Combine(args.Required("out-dir"), $"{trainer.WorldSize}-{Guid.NewGuid():N}.txt"), output);
    }

    /// <summary>Alternating timings of the strategy's all-reduce and a bare <c>MPI_Allreduce</c> of <paramref name="count"/> floats.</summary>
    private static unsafe IEnumerable<string> AllReduceTimes(Strategy strategy, long count)
    {
        using var buffer = zeros(count, ScalarType.Float32);
        var mpi = MpiLibrary.Load();
        var lines = new List<string> { $"bytes {count * 4}" };
        for (var i = 0; i < 200; i++)
        {
            strategy.Barrier();
            var start = Stopwatch.GetTimestamp();
            strategy.Reduce(buffer, Reduce.Sum);
            var ours = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            strategy.Barrier();
            start = Stopwatch.GetTimestamp();
            mpi.AllReduce((void*)TensorAddresses.Data(buffer), (int)count, mpi.Handles.Float, mpi.Handles.Sum, mpi.Handles.CommWorld);
            var bare = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (i < 20) continue;
            lines.Add($"allreduce {ours.ToString("R", CultureInfo.InvariantCulture)}");
            lines.Add($"bare {bare.ToString("R", CultureInfo.InvariantCulture)}");
        }
        return lines;
    }
}
