using System.Text;
using Lightning.Bench.Cli;
using Lightning.Bench.Data;
using Lightning.Bench.Loops;
using Lightning.Bench.Measurement;
using Lightning.Bench.Models;
using Lightning.Bench.Report;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Bench.Cases;

/// <summary>
/// Cases 1 and 2: the parity network on Fashion-MNIST for a few epochs, trained by the plain loop, by a bare
/// Trainer (no progress bar, logger, checkpointing or summary) and by a default Trainer, interleaved run by
/// run so that drift in the machine's speed hits all three alike. The first run of each is a warm-up. The bare
/// Trainer also runs with each of the defaults alone (progress bar, CSV logger, checkpointing, model summary):
/// the profile of case 2, showing what each default costs.
/// </summary>
internal static class ParityCase
{
    private const long Seed = 1234;
    private const int BatchSize = 128;

    private enum Variant { Plain, BareTrainer, DefaultTrainer, ProgressBarOnly, LoggerOnly, CheckpointOnly, SummaryOnly }

    private static readonly (Variant Variant, string Name)[] Components =
    [
        (Variant.ProgressBarOnly, "progress bar (to a log file)"),
        (Variant.LoggerOnly, "CSV logger"),
        (Variant.CheckpointOnly, "checkpoint each epoch"),
        (Variant.SummaryOnly, "model summary"),
    ];

    private sealed record RunResult(Variant Variant, Timing Time, double LastLoss, List<Tensor> State, string Callbacks);

    public static void Run(BenchArgs args)
    {
        var runs = args.Int("runs", 5);
        var epochs = args.Int("epochs", 4);
        var threads = args.Int("threads", 1);
        var outDir = args.Required("out-dir");
        set_num_threads(threads);
        var (x, y) = FashionMnist.Train(args.String("data", FashionMnist.DebianFolder));
        var root = Directory.CreateTempSubdirectory("lightning-bench-parity").FullName;

        // --only profiles one loop alone (for perf); the report needs them all.
        var variants = args.String("only", "") is { Length: > 0 } only ? [Enum.Parse<Variant>(only, ignoreCase: true)] : Enum.GetValues<Variant>();
        var counted = variants.ToDictionary(v => v, _ => new List<RunResult>());
        var identical = variants.ToDictionary(v => v, _ => true);
        for (var run = 0; run <= runs; run++)
        {
            // Rotate the order so no variant always runs first (right after a collection) or last.
            var results = variants.Select((_, i) => variants[(i + run) % variants.Length])
                .Select(v => Measure(v, x, y, epochs, root)).ToDictionary(r => r.Variant);
            var baseline = results[variants[0]];
            foreach (var variant in variants) identical[variant] &= SameWeights(baseline.State, results[variant].State);
            Console.Error.WriteLine($"run {run}{(run == 0 ? " (warm-up)" : "")}: " +
                string.Join(", ", variants.Select(v => $"{v} {results[v].Time.Wall / epochs:0.000} s/epoch ({results[v].Time.Cpu / epochs:0.000} CPU)")));
            if (run > 0) foreach (var variant in variants) counted[variant].Add(results[variant] with { State = [] });
            foreach (var result in results.Values) result.State.ForEach(t => t.Dispose());
        }
        Directory.Delete(root, recursive: true);
        if (variants.Length == 1) return;
        Write(outDir, counted, identical, runs, epochs, threads);
    }

    private static RunResult Measure(Variant variant, Tensor x, Tensor y, int epochs, string root)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Trainer.SeedEverything(Seed);
        var loader = new TensorDataLoader(x, y, BatchSize, shuffle: true);
        if (variant == Variant.Plain)
        {
            using var net = ParityNetwork.Create();
            var (loss, time) = Timing.Measure(() => PlainLoop.Train(net, loader, epochs));
            return new RunResult(variant, time, loss, Snapshot(net), "");
        }
        using var model = new ParityModule();
        // The plain loop runs on the CPU, so the Trainer must too, also on a machine with a GPU (bench/gpu/run.sh).
        var all = variant == Variant.DefaultTrainer;
        var options = BareTrainer.Options("cpu", epochs, Path.Combine(root, Guid.NewGuid().ToString("N")));
        options.EnableProgressBar = all || variant == Variant.ProgressBarOnly;
        options.Logger = all || variant == Variant.LoggerOnly;
        options.EnableCheckpointing = all || variant == Variant.CheckpointOnly;
        options.EnableModelSummary = all || variant == Variant.SummaryOnly;
        var (trainer, fitTime) = Timing.Measure(() =>
        {
            var t = new Trainer(options);
            t.Fit(model, loader);
            return t;
        });
        var callbacks = string.Join(", ", trainer.Callbacks.Select(c => c.GetType().Name)) +
            (trainer.Loggers.Count > 0 ? "; loggers: " + string.Join(", ", trainer.Loggers.Select(l => l.GetType().Name)) : "");
        return new RunResult(variant, fitTime, model.LastLoss, Snapshot(model), callbacks);
    }

    /// <summary>Every parameter and buffer (batch-norm statistics too), copied.</summary>
    private static List<Tensor> Snapshot(nn.Module module) =>
        module.state_dict().Values.Select(t => t.detach().clone()).ToList();

    /// <summary>Bit for bit: same types, shapes and bytes.</summary>
    private static bool SameWeights(List<Tensor> a, List<Tensor> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.dtype == p.Second.dtype &&
            p.First.shape.SequenceEqual(p.Second.shape) && p.First.bytes.SequenceEqual(p.Second.bytes));

    private static void Write(string outDir, Dictionary<Variant, List<RunResult>> counted, Dictionary<Variant, bool> identical,
        int runs, int epochs, int threads)
    {
        var plain = counted[Variant.Plain];
        Stats PerEpoch(Variant v, Func<Timing, double> pick) => Stats.Of(counted[v].Select(r => pick(r.Time) / epochs));
        Stats Ratio(Variant v, Func<Timing, double> pick) => Stats.Of(counted[v].Zip(plain, (t, p) => pick(t.Time) / pick(p.Time)));
        static double Cpu(Timing t) => t.Cpu;
        // What one default adds to the bare Trainer, CPU ms per epoch, paired run by run.
        Stats Cost(Variant v) => Stats.Of(counted[v].Zip(counted[Variant.BareTrainer], (c, b) => (c.Time.Cpu - b.Time.Cpu) / epochs * 1000));
        static double Wall(Timing t) => t.Wall;

        string MinimumRatio(Variant v) => (PerEpoch(v, Cpu).Min / PerEpoch(Variant.Plain, Cpu).Min).ToString("0.000");
        string Row(Variant v, string name) =>
            $"| {name} | {PerEpoch(v, Cpu).Format("0.000")} | {(v == Variant.Plain ? "1" : Ratio(v, Cpu).Format("0.000"))} | {MinimumRatio(v)} | " +
            $"{PerEpoch(v, Wall).Format("0.000")} | {(v == Variant.Plain ? "1" : Ratio(v, Wall).Format("0.000"))} | " +
            $"{counted[v][^1].LastLoss:R} | {(identical[v] ? "yes" : "**no**")} |";

        var body = new StringBuilder()
            .AppendLine($"Fashion-MNIST training split (60,000 images), batch {BatchSize}, shuffled per epoch by the runtime's `TensorDataLoader` " +
                $"(same seed, same order for all), {epochs} epochs, seed {Seed} before each run, `torch.set_num_threads({threads})`. " +
                $"{runs + 1} runs of each, interleaved and rotated; the first is dropped. Timed in-process around " +
                "`new Trainer(...)` + `Fit` and around the whole plain loop (optimizer creation included): process CPU time " +
                "(all threads, `CLOCK_PROCESS_CPUTIME_ID`) and wall-clock time. Ratios are taken run by run against the plain " +
                "loop of the same run, then summarised. The goals are judged on CPU time, which other processes on this shared " +
                "machine disturb less than the wall clock (on an idle machine the two agree for this single-threaded loop). Load still " +
                "slows whichever loop shares a core with other work, so the ratio of the fastest runs (the least disturbed) is shown too.")
            .AppendLine()
            .AppendLine("| loop | CPU s/epoch min / median / max | CPU ratio to plain, paired, min / median / max | ratio of the minima | wall s/epoch min / median / max | wall ratio to plain | last loss (last run) | final weights bit-identical to plain (all runs) |")
            .AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |")
            .AppendLine(Row(Variant.Plain, "plain TorchSharp loop"))
            .AppendLine(Row(Variant.BareTrainer, "Trainer, no progress bar/logger/checkpoint/summary"))
            .AppendLine(Row(Variant.DefaultTrainer, "Trainer, defaults"))
            .AppendLine()
            .AppendLine($"Callbacks and loggers of the default Trainer: {counted[Variant.DefaultTrainer][^1].Callbacks}.")
            .AppendLine()
            .AppendLine("Where case 2's time goes: the bare Trainer with one default at a time, in the same interleaved runs. A default's cost " +
                "is its CPU time per epoch over the bare Trainer's, paired run by run.")
            .AppendLine()
            .AppendLine("| bare Trainer plus | CPU s/epoch min / median / max | CPU ratio to plain, paired, median | cost over the bare Trainer, CPU ms/epoch, paired, median |")
            .AppendLine("| --- | --- | --- | --- |");
        foreach (var (variant, name) in Components)
        {
            body.AppendLine($"| {name} | {PerEpoch(variant, Cpu).Format("0.000")} | {Ratio(variant, Cpu).Median:0.000} | {Cost(variant).Median:0.0} |");
        }

        var bareRatio = Ratio(Variant.BareTrainer, Cpu).Median;
        var defaultRatio = Ratio(Variant.DefaultTrainer, Cpu).Median;
        var plainCpu = PerEpoch(Variant.Plain, Cpu);
        var noise = $"The plain loop alone took {plainCpu.Min:0.000} to {plainCpu.Max:0.000} CPU s/epoch across runs, a spread of " +
            $"{(plainCpu.Max / plainCpu.Min - 1) * 100:0}% from the same work, which the paired ratios carry too.";
        var bareWhy = $"{noise} The ratio of the fastest runs, the least disturbed, is {MinimumRatio(Variant.BareTrainer)}. What the Trainer " +
            "itself adds per step, measured where the step is almost all Trainer, is in \"Where the time goes\" below.";
        var costs = Components.Select(c => (c.Name, Cost: Cost(c.Variant).Median)).OrderByDescending(c => c.Cost).ToList();
        var defaultWhy = $"{noise} The ratio of the fastest runs is {MinimumRatio(Variant.DefaultTrainer)}. Of the defaults, one at a time: " +
            string.Join(", ", costs.Select(c => $"{c.Name} {c.Cost:0} ms/epoch")) + $", against {plainCpu.Median * 1000:0} ms for the plain loop's epoch " +
            "(the table below the parity table).";
        new CaseResult(1, "Cases 1 and 2: parity with a hand-written loop", body.ToString(),
        [
            new Goal("1: bare Trainer / plain loop, CPU s/epoch (median of paired ratios)", bareRatio.ToString("0.000"), "≤ 1.01", bareRatio <= 1.01, bareWhy),
            new Goal("1: final weights of bare Trainer and plain loop bit-identical", identical[Variant.BareTrainer] ? "yes" : "no", "yes", identical[Variant.BareTrainer]),
            new Goal("2: default Trainer / plain loop, CPU s/epoch (median of paired ratios)", defaultRatio.ToString("0.000"), "≤ 1.03", defaultRatio <= 1.03, defaultWhy),
        ]).Save(Path.Combine(outDir, "1-parity.json"));
    }
}
