using System.Diagnostics;
using System.Globalization;
using Lightning;
using Lightning.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

// Usage: GpuSmoke [accelerator] [precision,...] [epochs]
// LibTorch must be chosen before the first torch call: LIGHTNING_TORCH_LIB is read as soon as Lightning loads,
// which the next line makes happen.
var accelerator = args.Length > 0 ? args[0] : "cuda";
var precisions = (args.Length > 1 ? args[1] : "32-true,bf16-mixed,16-mixed").Split(',');
var epochs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
Console.WriteLine($"LibTorch: {LibTorch.Location ?? "TorchSharp's own"} (CUDA build: {LibTorch.HasCuda})");

var checks = precisions.Select(p => (Name: p, Run: (Action)(() => Train(p, deterministic: false))))
    .Append(("deterministic", () => Train("32-true", deterministic: true)))
    .Append(("selection", CheckSelection))
    .ToList();
var failures = 0;
foreach (var (name, run) in checks)
{
    try
    {
        run();
    }
    catch (Exception e)
    {
        failures++;
        Console.WriteLine($"{name,-13} FAILED: {e.GetType().Name}: {e.Message}");
    }
}
Console.WriteLine(failures == 0 ? "gpu-smoke: all passed" : $"gpu-smoke: {failures} of {checks.Count} checks failed");
return failures == 0 ? 0 : 1;

// Accelerator = "auto" and the 0.x Gpus = 1 pick the GPU when there is one.
void CheckSelection()
{
    var expected = accelerator == "cpu" ? DeviceType.CPU : DeviceType.CUDA;
    Check(new Trainer().RootDevice.type == expected, $"Accelerator = \"auto\" picks {expected}");
    if (expected == DeviceType.CUDA) Check(new Trainer(new TrainerOptions { Gpus = 1 }).RootDevice.type == expected, "Gpus = 1 picks CUDA");
    Console.WriteLine($"{"selection",-13} auto picks {expected}");
}

void Train(string precision, bool deterministic)
{
    Trainer.SeedEverything(7);
    var (train, _, test) = Digits.Split();
    using var model = new DigitsClassifier();
    var trainer = new Trainer(new TrainerOptions
    {
        Accelerator = accelerator, Devices = 1, Precision = precision, MaxEpochs = deterministic ? 2 : epochs, Deterministic = deterministic,
        EnableProgressBar = false, EnableModelSummary = false, EnableCheckpointing = false, Logger = false,
    });
    var device = trainer.RootDevice;
    if (accelerator != "cpu" && device.type == DeviceType.CPU) throw new InvalidOperationException($"asked for {accelerator}, got the CPU");

    var clock = Stopwatch.StartNew();
    trainer.Fit(model, new TensorDataLoader(train.X, train.Y, 32, shuffle: true));
    clock.Stop();
    var accuracy = trainer.Test(model, new TensorDataLoader(test.X, test.Y, 512), verbose: false)[0]["test_acc"];

    Check(model.parameters().All(p => On(p, device) && p.dtype == ScalarType.Float32), "parameters are float32 on the device");
    var state = ((OptimizerHelper)trainer.Optimizers[0]).state_dict().State.OfType<Adam.State>().ToList();
    Check(state.Count > 0 && state.All(s => On(s.exp_avg, device) && On(s.exp_avg_sq, device)), "Adam's state is on the device");
    var least = deterministic ? 0.8 : 0.9;
    Check(accuracy >= least, $"test accuracy {accuracy:P2} is at least {least:P0}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{(deterministic ? "deterministic" : precision),-13} device={device} accuracy={accuracy:P2} steps={trainer.GlobalStep} steps/s={trainer.GlobalStep / clock.Elapsed.TotalSeconds:F1} fit={clock.Elapsed.TotalSeconds:F1}s"));
}

// TorchSharp's Device compares by reference.
static bool On(Tensor tensor, Device device) => tensor.device.type == device.type && tensor.device.index == device.index;

static void Check(bool condition, string what)
{
    if (!condition) throw new InvalidOperationException($"check failed: {what}");
}
