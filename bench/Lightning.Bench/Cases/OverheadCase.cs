using System.Text;
using Lightning.Bench.Cli;
using Lightning.Bench.Data;
using Lightning.Bench.Loops;
using Lightning.Bench.Measurement;
using Lightning.Bench.Models;
using Lightning.Bench.Report;
using static TorchSharp.torch;

namespace Lightning.Bench.Cases;

/// <summary>
/// Where case 1's time goes: the Trainer's fixed cost per step, measured on a step that does almost nothing
/// (one 784 × 10 linear layer), where the framework's own work is not hidden by the model's. No goal; the report
/// sets it beside case 1's step time.
/// </summary>
internal static class OverheadCase
{
    public static void Run(BenchArgs args)
    {
        var runs = args.Int("runs", 5);
        var epochs = args.Int("epochs", 2);
        set_num_threads(1);
        var (x, y) = FashionMnist.Train(args.String("data", FashionMnist.DebianFolder));
        static nn.Module<Tensor, Tensor> Tiny() => nn.Linear(28 * 28, 10);
        var plain = new List<double>();
        var trainer = new List<double>();
        var plainBytes = new List<double>();
        var trainerBytes = new List<double>();
        var steps = 0L;
        for (var run = 0; run <= runs; run++)
        {
            GC.Collect();
            Trainer.SeedEverything(1);
            using var net = Tiny();
            var loader = new TensorDataLoader(x, y, 128, shuffle: true);
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var (_, plainTime) = Timing.Measure(() => PlainLoop.Train(net, loader, epochs));
            var plainAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            GC.Collect();
            Trainer.SeedEverything(1);
            using var model = new ParityModule(Tiny);
            allocated = GC.GetTotalAllocatedBytes(precise: true);
            var (fitted, trainerTime) = Timing.Measure(() =>
            {
                var t = new Trainer(BareTrainer.Options("cpu", epochs));
                t.Fit(model, new TensorDataLoader(x, y, 128, shuffle: true));
                return t.GlobalStep;
            });
            var trainerAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            steps = fitted;
            if (run == 0) continue;
            plainBytes.Add((double)plainAllocated / fitted);
            trainerBytes.Add((double)trainerAllocated / fitted);
            plain.Add(plainTime.Cpu / fitted * 1e6);
            trainer.Add(trainerTime.Cpu / fitted * 1e6);
        }
        var extra = Stats.Of(trainer.Zip(plain, (t, p) => t - p));
        var body = new StringBuilder()
            .AppendLine($"The Trainer's fixed cost per step, on a step with almost no model (one 784 × 10 linear layer, batch 128, Adam), " +
                $"{steps} steps per run, {runs} runs after a warm-up, process CPU time per step, `torch.set_num_threads(1)`. No goal: it is " +
                "the profile behind case 1's ratio (divide the extra microseconds by case 1's step time).")
            .AppendLine()
            .AppendLine("| loop | CPU µs/step min / median / max | managed bytes allocated per step (median) |")
            .AppendLine("| --- | --- | --- |")
            .AppendLine($"| plain TorchSharp loop | {Stats.Of(plain).Format("0.0")} | {Stats.Of(plainBytes).Median:0} |")
            .AppendLine($"| Trainer, bare | {Stats.Of(trainer).Format("0.0")} | {Stats.Of(trainerBytes).Median:0} |")
            .AppendLine($"| Trainer − plain, paired by run | {extra.Format("0.0")} | {Stats.Of(trainerBytes).Median - Stats.Of(plainBytes).Median:0} |")
            .AppendLine()
            .AppendLine("Allocated bytes (`GC.GetTotalAllocatedBytes`) do not depend on the machine's load: they show the managed work the " +
                "Trainer adds per step even when the timings are too noisy to.");
        new CaseResult(2, "Where the time goes: the Trainer's cost per step", body.ToString(), []).Save(Path.Combine(args.Required("out-dir"), "2-overhead.json"));
    }
}
