using System.Text;
using System.Text.Json;
using Lightning.Bench.Cli;
using Lightning.Bench.Data;
using Lightning.Bench.Gpu;
using Lightning.Bench.Models;
using Lightning.IO;
using static TorchSharp.torch;

namespace Lightning.Bench.Cases;

/// <summary>
/// The GPU case: case 1's network and a small convolutional network trained by the Trainer on CUDA, steps per
/// second after a warm-up epoch. Runs on a GPU machine with PyTorch installed but no .NET SDK (bench/gpu/run.sh);
/// <see cref="Report"/> sets the results beside PyTorch Lightning's.
/// </summary>
internal static class GpuCase
{
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
        foreach (var (name, network, learningRate) in new (string, Func<nn.Module<Tensor, Tensor>>, double)[]
                 { ("mlp", ParityNetwork.Create, ParityNetwork.LearningRate), ("conv", ConvNetwork.Create, ConvNetwork.LearningRate) })
        {
            Trainer.SeedEverything(1234);
            using var model = new ParityModule(network, learningRate);
            var timer = new StepTimer(warmupEpochs: 1);
            var trainer = new Trainer(new TrainerOptions
            {
                Accelerator = "cuda",
                Devices = 1,
                Precision = "32-true",
                MaxEpochs = epochs,
                EnableProgressBar = false,
                Logger = false,
                EnableCheckpointing = false,
                EnableModelSummary = false,
                DefaultRootDir = Path.GetTempPath(),
                Callbacks = [timer],
            });
            trainer.Fit(model, new TensorDataLoader(x, y, 128, shuffle: true));
            var result = new GpuResult("Lightning for .NET", name, "batch index_select", timer.Steps / timer.Seconds, timer.Steps,
                timer.Seconds, model.LastLoss, "");
            Console.Error.WriteLine($"{name}: {result.StepsPerSecond:0.0} steps/s over {result.Steps} steps, last loss {result.LastLoss:0.0000}");
            results.Add(result);
        }
        AtomicFile.WriteAllText(args.Required("result"), JsonSerializer.Serialize(results, Json));
    }

    /// <summary>The GPU report: each framework's steps per second per model and the ratio. Returns whether .NET was at least as fast everywhere.</summary>
    public static bool Report(BenchArgs args)
    {
        var dotnet = JsonSerializer.Deserialize<List<GpuResult>>(File.ReadAllText(args.Required("dotnet")))!;
        var python = JsonSerializer.Deserialize<List<GpuResult>>(File.ReadAllText(args.Required("python")))!;
        var device = python.Select(r => r.Device).FirstOrDefault(d => d.Length > 0) ?? "unknown";
        var text = new StringBuilder()
            .AppendLine("# GPU benchmark: Trainer on CUDA beside PyTorch Lightning")
            .AppendLine()
            .AppendLine($"Device: {device}. Fashion-MNIST training split, batch 128, `32-true` precision, Adam, data in host memory and " +
                "copied to the GPU batch by batch; no progress bar, logger, checkpointing or summary on either side. Steps per second " +
                "over the epochs after the first (warm-up), with the GPU synchronised at both ends. Both sides use the same LibTorch " +
                "(the machine's PyTorch), so the difference is the framework around it. PyTorch Lightning runs with two loaders: one that " +
                "slices whole batches by index like the runtime's `TensorDataLoader` (the like-for-like comparison, used for the goal), " +
                "and PyTorch's usual `DataLoader` over a `TensorDataset` (what a Lightning user writes first).")
            .AppendLine()
            .AppendLine("| model | framework | loader | steps/s | steps timed | last loss | .NET / this |")
            .AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        var met = true;
        foreach (var ours in dotnet)
        {
            text.AppendLine($"| {ours.Model} | {ours.Framework} | {ours.Loader} | {ours.StepsPerSecond:0.0} | {ours.Steps} | {ours.LastLoss:0.0000} | 1 |");
            foreach (var theirs in python.Where(p => p.Model == ours.Model))
            {
                var ratio = ours.StepsPerSecond / theirs.StepsPerSecond;
                if (theirs.Loader == ours.Loader) met &= ratio >= 1;
                text.AppendLine($"| {theirs.Model} | {theirs.Framework} | {theirs.Loader} | {theirs.StepsPerSecond:0.0} | {theirs.Steps} | {theirs.LastLoss:0.0000} | {ratio:0.00} |");
            }
        }
        text.AppendLine().AppendLine($"Goal: Lightning for .NET at least as fast as PyTorch Lightning with the same loader: {(met ? "met" : "**missed**")}.");
        AtomicFile.WriteAllText(args.Required("out"), text.ToString());
        Console.Write(text);
        return met;
    }
}
