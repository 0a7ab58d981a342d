using System.Text;
using Lightning.Bench.Cli;
using Lightning.Bench.Data;
using Lightning.Bench.Loops;
using Lightning.Bench.Measurement;
using Lightning.Bench.Models;
using Lightning.Bench.Report;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lightning.Bench.Cases;

/// <summary>
/// Case 6 (issue 14): the runtime's multi-tensor Adam against TorchSharp's. First the optimizer step alone, on the
/// parity network and on a 50-layer MLP of many small parameters, each optimizer stepping its own copy of the
/// network from the same gradients; then the whole training of the parity network, a bare Trainer with the
/// multi-tensor Adam against the plain loop a user writes with TorchSharp's Adam. Runs interleave, the first is a
/// warm-up, and ratios are paired run by run.
/// </summary>
internal static class OptimizerCase
{
    private const long Seed = 1234;

    public static void Run(BenchArgs args)
    {
        var runs = args.Int("runs", 5);
        var steps = args.Int("steps", 200);
        var epochs = args.Int("epochs", 2);
        set_num_threads(args.Int("threads", 1));
        var (x, y) = FashionMnist.Train(args.String("data", FashionMnist.DebianFolder));

        var parityStep = StepTimes(ParityNetwork.Create, () => (randn(128, 28 * 28), randint(0, 10, 128)), runs, steps);
        var mlpStep = StepTimes(DeepMlp.Create, () => (randn(32, DeepMlp.Width), randint(0, DeepMlp.Width, 32)), runs, steps);

        var plain = new List<double>();
        var trainer = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            GC.Collect();
            Trainer.SeedEverything(Seed);
            using var net = ParityNetwork.Create();
            var (_, plainTime) = Timing.Measure(() => PlainLoop.Train(net, new TensorDataLoader(x, y, 128, shuffle: true), epochs));
            GC.Collect();
            Trainer.SeedEverything(Seed);
            using var model = new ParityModule(multiTensor: true);
            var (_, trainerTime) = Timing.Measure(() =>
            {
                new Trainer(BareTrainer.Options("cpu", epochs)).Fit(model, new TensorDataLoader(x, y, 128, shuffle: true));
                return 0;
            });
            Console.Error.WriteLine($"training run {run}{(run == 0 ? " (warm-up)" : "")}: plain loop {plainTime.Cpu / epochs:0.000} CPU s/epoch, " +
                $"Trainer with multi-tensor Adam {trainerTime.Cpu / epochs:0.000}");
            if (run == 0) continue;
            plain.Add(plainTime.Cpu / epochs);
            trainer.Add(trainerTime.Cpu / epochs);
        }
        var epochRatio = Stats.Of(trainer.Zip(plain, (t, p) => t / p));

        var body = new StringBuilder()
            .AppendLine($"Optimizer step alone: {steps} steps of Adam per run from fixed gradients, {runs} runs after a warm-up, process CPU " +
                "µs per step, `torch.set_num_threads(1)`. TorchSharp's `optim.Adam` updates each parameter with its own kernels; " +
                "`Lightning.Optimizers.Adam` keeps parameters, gradients and moments in flat buffers and updates them all at once, on the CPU " +
                "in one pass over the buffers (LibTorch's own square root, so the numbers stay TorchSharp's to the bit).")
            .AppendLine()
            .AppendLine("| model | parameter tensors | TorchSharp's Adam µs/step min / median / max | multi-tensor Adam µs/step | speed-up (median of paired ratios) |")
            .AppendLine("| --- | --- | --- | --- | --- |")
            .AppendLine(parityStep.Row("parity network (784-128-BN-10)"))
            .AppendLine(mlpStep.Row($"MLP of {DeepMlp.Layers} layers of {DeepMlp.Width} × {DeepMlp.Width}"))
            .AppendLine()
            .AppendLine($"Whole training: the parity network on Fashion-MNIST, batch 128, {epochs} epochs per run, {runs} runs after a warm-up, " +
                "process CPU seconds per epoch: the plain TorchSharp loop with `optim.Adam` against a bare Trainer with `Lightning.Optimizers.Adam`.")
            .AppendLine()
            .AppendLine("| loop | CPU s/epoch min / median / max |")
            .AppendLine("| --- | --- |")
            .AppendLine($"| plain TorchSharp loop, TorchSharp's Adam | {Stats.Of(plain).Format("0.000")} |")
            .AppendLine($"| Trainer, multi-tensor Adam | {Stats.Of(trainer).Format("0.000")} |")
            .AppendLine($"| Trainer / plain loop, paired by run | {epochRatio.Format("0.000")} |");
        var goals = new List<Goal>
        {
            new("Multi-tensor Adam step, speed-up over TorchSharp's on the 50-layer MLP (median of paired ratios)", $"{mlpStep.Speedup.Median:0.00}×", "≥ 3×",
                mlpStep.Speedup.Median >= 3, $"paired speed-ups ranged {mlpStep.Speedup.Format("0.00")}."),
            new("Trainer with multi-tensor Adam / plain loop with TorchSharp's Adam, CPU s per epoch on the parity network (median of paired ratios)",
                $"{epochRatio.Median:0.000}", "≤ 0.9", epochRatio.Median <= 0.9, $"paired ratios ranged {epochRatio.Format("0.000")}."),
        };
        new CaseResult(6, "Case 6: multi-tensor optimizer steps", body.ToString(), goals, Issue: 14).Save(Path.Combine(args.Required("out-dir"), "6-optimizers.json"));
    }

    private sealed record StepResult(Stats TorchSharp, Stats MultiTensor, Stats Speedup, int Tensors)
    {
        public string Row(string model) =>
            $"| {model} | {Tensors} | {TorchSharp.Format("0")} | {MultiTensor.Format("0")} | {Speedup.Median:0.00}× ({Speedup.Format("0.00")}) |";
    }

    private static StepResult StepTimes(Func<nn.Module<Tensor, Tensor>> network, Func<(Tensor X, Tensor Y)> batch, int runs, int steps)
    {
        manual_seed(Seed);
        using var reference = network();
        using var flat = network();
        flat.load_state_dict(reference.state_dict());
        using var torchSharp = optim.Adam(reference.parameters(), 1e-3);
        using var multiTensor = new Optimizers.Adam(flat.parameters(), 1e-3);
        var (x, y) = batch();
        foreach (var net in new[] { reference, flat }) nn.functional.cross_entropy(net.forward(x), y).backward();
        var torchSharpTimes = new List<double>();
        var multiTensorTimes = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var first = Time(torchSharp, steps);
            var second = Time(multiTensor, steps);
            if (run == 0) continue;
            torchSharpTimes.Add(first);
            multiTensorTimes.Add(second);
        }
        return new StepResult(Stats.Of(torchSharpTimes), Stats.Of(multiTensorTimes), Stats.Of(torchSharpTimes.Zip(multiTensorTimes, (a, b) => a / b)),
            reference.parameters().Count());
    }

    // CPU µs per step of `steps` steps.
    private static double Time(optim.Optimizer optimizer, int steps)
    {
        GC.Collect();
        var (_, time) = Timing.Measure(() =>
        {
            for (var i = 0; i < steps; i++)
            {
                using var scope = NewDisposeScope();
                optimizer.step();
            }
            return 0;
        });
        return time.Cpu / steps * 1e6;
    }
}
