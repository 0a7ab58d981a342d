using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Lightning.Bench.Cli;
using Lightning.Bench.Data;
using Lightning.Bench.Gpu;
using Lightning.Bench.Loops;
using Lightning.Bench.Models;
using Lightning.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Bench.Cases;

/// <summary>
/// The GPU case: case 1's network, a small convolutional network (both <c>32-true</c>, batch 128) and a small ResNet
/// on 32×32 images (<c>bf16-mixed</c>, batch 256) trained by the Trainer on CUDA with the runtime's multi-tensor Adam
/// and with TorchSharp's, steps per second after a warm-up epoch, beside a hand-written TorchSharp loop on the same
/// GPU (the Trainer's own cost; <c>32-true</c> models only, as TorchSharp has no autocast of its own).
/// Runs on a GPU machine with PyTorch installed but no .NET SDK (bench/gpu/run.sh); <see cref="Report"/> sets
/// the results beside PyTorch Lightning's and a plain PyTorch loop's.
/// </summary>
internal static class GpuCase
{
    private const string Ours = "Lightning for .NET";
    private const string OursWithTorchSharpAdam = Ours + ", TorchSharp's Adam";

    // Each model's goals against the hand-written PyTorch loop and against PyTorch Lightning (same loader), as Trainer / other steps per second.
    private static readonly Dictionary<string, (double PlainPyTorch, double Lightning)> Goals = new()
    {
        ["mlp"] = (0, 1.0),
        ["conv"] = (1.0, 1.3),
        ["resnet"] = (0.95, 1.3),
    };
    private const string SameLoader = "batch index_select";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Needs LIGHTNING_TORCH_LIB (a CUDA PyTorch's torch/lib, or "python"), from which Program loads LibTorch.</summary>
    public static void Run(BenchArgs args)
    {
        if (LibTorch.Location is null || !cuda.is_available())
            throw new InvalidOperationException(
                $"No CUDA LibTorch: set {LibTorch.EnvironmentVariable} to the torch/lib folder of a CUDA build of PyTorch, or to \"python\" (bench/gpu/run.sh does).");
        var epochs = args.Int("epochs", 3);
        var (x, y) = FashionMnist.Train(args.String("data", FashionMnist.DebianFolder));
        var results = new List<GpuResult>();
        foreach (var (name, network, learningRate, precision, batchSize) in new (string, Func<nn.Module<Tensor, Tensor>>, double, string, int)[]
                 {
                     ("mlp", ParityNetwork.Create, ParityNetwork.LearningRate, "32-true", 128),
                     ("conv", ConvNetwork.Create, ConvNetwork.LearningRate, "32-true", 128),
                     ("resnet", ResNetNetwork.Create, ResNetNetwork.LearningRate, "bf16-mixed", ResNetNetwork.BatchSize),
                 })
        {
            results.Add(TrainerRun(name, network, learningRate, precision, batchSize, x, y, epochs, multiTensor: true));
            results.Add(TrainerRun(name, network, learningRate, precision, batchSize, x, y, epochs, multiTensor: false));
            if (precision == "32-true") results.Add(PlainRun(name, network, learningRate, x, y, epochs));
        }
        foreach (var r in results)
            Console.Error.WriteLine($"{r.Model} / {r.Framework}: {r.StepsPerSecond:0.0} steps/s over {r.Steps} steps, last loss {r.LastLoss:0.0000}");
        AtomicFile.WriteAllText(args.Required("result"), JsonSerializer.Serialize(results, Json));
    }

    /// <summary>The Trainer's run, with the runtime's multi-tensor Adam or (to show what it saves) TorchSharp's.</summary>
    private static GpuResult TrainerRun(string name, Func<nn.Module<Tensor, Tensor>> network, double learningRate, string precision, int batchSize,
        Tensor x, Tensor y, int epochs, bool multiTensor)
    {
        Trainer.SeedEverything(1234);
        using var model = new ParityModule(network, learningRate, multiTensor: multiTensor);
        var timer = new StepTimer(warmupEpochs: 1);
        var options = BareTrainer.Options("cuda", epochs);
        options.Devices = 1;
        options.Precision = precision;
        options.Callbacks = [timer];
        var trainer = new Trainer(options);
        trainer.Fit(model, new TensorDataLoader(x, y, batchSize, shuffle: true));
        return new GpuResult(multiTensor ? Ours : OursWithTorchSharpAdam, name, SameLoader, timer.Steps / timer.Seconds, timer.Steps, timer.Seconds, model.LastLoss, "");
    }

    /// <summary>The same training by hand: one warm-up epoch, then the remaining epochs timed with the GPU synchronised at both ends.</summary>
    private static GpuResult PlainRun(string name, Func<nn.Module<Tensor, Tensor>> network, double learningRate, Tensor x, Tensor y, int epochs)
    {
        Trainer.SeedEverything(1234);
        var device = CUDA;
        using var net = network().to(device);
        var loader = new TensorDataLoader(x, y, 128, shuffle: true);
        PlainLoop.Train(net, loader, 1, learningRate: learningRate, device: device);
        cuda.synchronize();
        var clock = Stopwatch.StartNew();
        var loss = PlainLoop.Train(net, loader, epochs - 1, learningRate: learningRate, device: device);
        cuda.synchronize();
        var steps = (long)loader.Count * (epochs - 1);
        return new GpuResult("TorchSharp plain loop", name, SameLoader, steps / clock.Elapsed.TotalSeconds, steps, clock.Elapsed.TotalSeconds, loss, "", Plain: true);
    }

    /// <summary>The GPU report: each framework's steps per second per model, its cost per step over its own plain loop, and the ratios. Returns whether .NET was at least as fast everywhere.</summary>
    public static bool Report(BenchArgs args)
    {
        var dotnet = JsonSerializer.Deserialize<List<GpuResult>>(File.ReadAllText(args.Required("dotnet")))!;
        var python = JsonSerializer.Deserialize<List<GpuResult>>(File.ReadAllText(args.Required("python")))!;
        var device = python.Select(r => r.Device).FirstOrDefault(d => d.Length > 0) ?? "unknown";
        var text = new StringBuilder()
            .AppendLine("# GPU benchmark: Trainer on CUDA beside PyTorch Lightning")
            .AppendLine()
            .AppendLine($"Device: {device}. Fashion-MNIST training split; `mlp` and `conv` in `32-true` with batch 128, `resnet` (28×28 padded to " +
                "32×32) in `bf16-mixed` with batch 256; Adam (on .NET the runtime's multi-tensor Adam, and TorchSharp's beside it), data in host memory and " +
                "copied to the GPU batch by batch; no progress bar, logger, checkpointing or summary on either side. Steps per second " +
                "over the epochs after the first (warm-up), with the GPU synchronised at both ends. Both sides use the same LibTorch " +
                "(the machine's PyTorch), so the difference is the framework around it. PyTorch Lightning runs with two loaders: one that " +
                "slices whole batches by index like the runtime's `TensorDataLoader` (the like-for-like comparison, used for the goal), " +
                "and PyTorch's usual `DataLoader` over a `TensorDataset` (what a Lightning user writes first). Each side also runs the " +
                "same training as a hand-written loop on its own library (TorchSharp, PyTorch): a framework's cost per step is its time " +
                "per step minus its plain loop's, and what remains between the two plain loops is the binding, not the framework.")
            .AppendLine()
            .AppendLine("| model | run | loader | steps/s | ms/step | cost over its plain loop, µs/step | steps timed | last loss | Trainer / this, steps/s |")
            .AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        var met = true;
        var goals = new StringBuilder();
        var results = dotnet.Concat(python).ToList();
        foreach (var model in results.Select(r => r.Model).Distinct())
        {
            var ours = results.Single(r => r.Model == model && r.Framework == Ours);
            var (plainGoal, lightningGoal) = Goals.GetValueOrDefault(model, (0, 1.0));
            foreach (var r in results.Where(r => r.Model == model))
            {
                var ratio = ours.StepsPerSecond / r.StepsPerSecond;
                var goal = DotNet(r) || r.Loader != ours.Loader ? 0 : r.Plain ? plainGoal : lightningGoal;
                if (goal > 0)
                {
                    met &= ratio >= goal;
                    goals.AppendLine($"- {model}: Trainer / {r.Framework} = {ratio:0.00}, goal ≥ {goal:0.00}: {(ratio >= goal ? "met" : "**missed**")}");
                }
                var plain = r.Plain ? null : results.FirstOrDefault(p => p.Plain && p.Model == model && p.Loader == r.Loader && SameLibrary(p, r));
                var cost = plain is null ? "" : $"{(r.MillisecondsPerStep - plain.MillisecondsPerStep) * 1000:0}";
                text.AppendLine($"| {model} | {r.Framework} | {r.Loader} | {r.StepsPerSecond:0.0} | {r.MillisecondsPerStep:0.000} | {cost} | {r.Steps} | {r.LastLoss:0.0000} | {ratio:0.00} |");
            }
        }
        text.AppendLine().AppendLine("Goals (steps per second, the Trainer with the multi-tensor Adam over the other, same loader):").AppendLine().Append(goals)
            .AppendLine().AppendLine($"All goals: {(met ? "met" : "**missed**")}.");
        AtomicFile.WriteAllText(args.Required("out"), text.ToString());
        Console.Write(text);
        return met;
    }

    private static bool SameLibrary(GpuResult plain, GpuResult framework) => DotNet(plain) == DotNet(framework);

    private static bool DotNet(GpuResult result) =>
        result.Framework.StartsWith(Ours, StringComparison.Ordinal) || result.Framework.StartsWith("TorchSharp", StringComparison.Ordinal);
}
