using System.Text;
using System.Text.Json;
using Lightning.Bench.Cli;
using Lightning.Bench.Data;
using Lightning.Bench.Loops;
using Lightning.Bench.Measurement;
using Lightning.Bench.Models;
using Lightning.Bench.Report;
using static TorchSharp.torch;

namespace Lightning.Bench.Cases;

/// <summary>
/// Case 3: resident memory over many steps of the parity network, bare Trainer against the plain loop, each
/// in a process of its own (the peak is per process). Both processes run at once, one core each.
/// </summary>
internal static class MemoryCase
{
    private const int SampleEvery = 100;
    private const long SettledStep = 1000;
    private const long Window = 4000;
    private const double PeakTolerance = 0.02;
    private const double GrowthTolerance = 0.01;

    private sealed record MemoryRun(string Variant, long Steps, long PeakBytes, long[][] Samples);

    public static void Run(BenchArgs args)
    {
        var steps = args.Int("steps", 20_000);
        var outDir = args.Required("out-dir");
        var data = args.String("data", FashionMnist.DebianFolder);
        var files = new[] { "trainer", "plain" }.ToDictionary(v => v, v => Path.Combine(outDir, $"3-memory-{v}.raw.json"));
        var children = files.Select(f => (f.Key, Process: ChildProcess.Start(Environment.ProcessPath!, ["memory-run", "--variant", f.Key,
            "--steps", steps.ToString(), "--data", data, "--result", f.Value], environment: FixedMalloc))).ToList();
        foreach (var (variant, process) in children) ChildProcess.Check(process, $"The memory run of the {variant}");
        var runs = files.ToDictionary(f => f.Key, f => JsonSerializer.Deserialize<MemoryRun>(File.ReadAllText(f.Value))!);
        Write(outDir, runs["trainer"], runs["plain"], steps);
    }

    // glibc raises its mmap threshold as large blocks are freed (reading the data set frees about a gigabyte), up to
    // 32 MiB, after which every smaller block comes from the heap, which is only returned to the system above its
    // highest live block: how much of the freed memory then stays resident, 0.4 to 0.8 GiB here, depends on where
    // that block lands, and would decide the peak of either loop. With the thresholds fixed, resident memory follows
    // the memory in use; both loops run with the same settings.
    private static readonly Dictionary<string, string> FixedMalloc = new()
    {
        ["GLIBC_TUNABLES"] = "glibc.malloc.mmap_threshold=262144:glibc.malloc.trim_threshold=262144",
    };

    /// <summary>One process: train <c>--steps</c> steps, sampling resident memory.</summary>
    public static void RunOne(BenchArgs args)
    {
        var variant = args.Required("variant");
        var steps = args.Int("steps", 20_000);
        set_num_threads(1);
        var (x, y) = FashionMnist.Train(args.String("data", FashionMnist.DebianFolder));
        Trainer.SeedEverything(1234);
        var loader = new TensorDataLoader(x, y, 128, shuffle: true);
        var sampler = new RssSampler(SampleEvery);
        if (variant == "plain")
        {
            using var net = ParityNetwork.Create();
            PlainLoop.Train(net, loader, int.MaxValue, steps, sampler.AfterStep);
        }
        else
        {
            using var model = new ParityModule();
            var root = Directory.CreateTempSubdirectory("lightning-bench-memory").FullName;
            var options = BareTrainer.Options("cpu", maxEpochs: -1, root);
            options.MaxSteps = steps;
            options.Callbacks = [new RssCallback(sampler)];
            new Trainer(options).Fit(model, loader);
            Directory.Delete(root, recursive: true);
        }
        var run = new MemoryRun(variant, steps, Rss.Peak(), sampler.Samples.Select(s => new[] { s.Step, s.Bytes }).ToArray());
        Lightning.IO.AtomicFile.WriteAllText(args.Required("result"), JsonSerializer.Serialize(run));
    }

    private static double MiB(long bytes) => bytes / (1024.0 * 1024.0);

    /// <summary>
    /// Growth after the settling point: the median of the last <see cref="Window"/> steps' samples minus the median
    /// of the first <see cref="Window"/> steps' after <see cref="SettledStep"/>. Medians, because resident memory
    /// jumps for a moment now and then (allocator, garbage collector) while a leak raises every sample.
    /// </summary>
    private static double Growth(MemoryRun run)
    {
        var settled = run.Samples.Where(s => s[0] >= SettledStep).ToArray();
        var first = settled.Where(s => s[0] < SettledStep + Window).Select(s => (double)s[1]);
        var last = settled.Where(s => s[0] > run.Samples[^1][0] - Window).Select(s => (double)s[1]);
        return Stats.Of(last).Median - Stats.Of(first).Median;
    }

    private static void Write(string outDir, MemoryRun trainer, MemoryRun plain, int steps)
    {
        long At(MemoryRun run, long step) => run.Samples.First(s => s[0] >= step)[1];
        string Row(MemoryRun run, string name) =>
            $"| {name} | {MiB(run.PeakBytes):0.0} | {MiB(At(run, SettledStep)):0.0} | {MiB(run.Samples[^1][1]):0.0} | " +
            $"{MiB(run.Samples.Where(s => s[0] >= SettledStep).Max(s => s[1])):0.0} | {MiB(run.Samples[^1][1] - At(run, SettledStep)):+0.0;-0.0} | " +
            $"{MiB((long)Growth(run)):+0.00;-0.00} |";

        var peakRatio = (double)trainer.PeakBytes / plain.PeakBytes;
        var growth = Growth(trainer) / At(trainer, SettledStep);
        var body = new StringBuilder()
            .AppendLine($"{steps:N0} steps of case 1's network and data (batch 128, Adam), `torch.set_num_threads(1)`, the bare Trainer " +
                $"(with one callback that samples memory) and the plain loop each in its own process, run side by side. Resident memory " +
                $"(`VmRSS`) is read from /proc/self/status every {SampleEvery} steps, the peak from `VmHWM` at the end. Both run with glibc's mmap and trim " +
                "thresholds fixed at 256 KiB (`GLIBC_TUNABLES`): left to adjust themselves, they keep 0.4 to 0.8 GiB of the memory freed after " +
                "reading the data set resident in either process, by chance, and that would decide the peak. Growth is the median " +
                $"of the samples of the last {Window:N0} steps minus the median of those of steps {SettledStep:N0} to {SettledStep + Window:N0}: " +
                "resident memory jumps for a moment now and then (allocator, garbage collector), while a leak raises every sample. The goal " +
                "is judged on the Trainer; the plain loop shows what TorchSharp itself does.")
            .AppendLine()
            .AppendLine($"| loop | peak MiB | MiB at step {SettledStep:N0} | final MiB | max MiB after step {SettledStep:N0} | final − step {SettledStep:N0} | growth (medians, MiB) |")
            .AppendLine("| --- | --- | --- | --- | --- | --- | --- |")
            .AppendLine(Row(plain, "plain TorchSharp loop"))
            .AppendLine(Row(trainer, "Trainer, bare"));
        new CaseResult(3, "Case 3: memory", body.ToString(),
        [
            new Goal("3: peak RSS, Trainer / plain loop", peakRatio.ToString("0.000"), $"≤ {1 + PeakTolerance:0.00}", peakRatio <= 1 + PeakTolerance),
            new Goal($"3: Trainer's RSS growth after step {SettledStep:N0} (window medians), relative to RSS at that step",
                growth.ToString("+0.00%;-0.00%"), $"≤ {GrowthTolerance:0%}", growth <= GrowthTolerance),
        ]).Save(Path.Combine(outDir, "3-memory.json"));
    }
}
