using System.Globalization;
using Lightning.Bench.Cases;
using Lightning.Bench.Cli;
using Lightning;
using Lightning.Bench.Report;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
BenchArgs parsed;
try
{
    parsed = BenchArgs.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
// On a machine whose LibTorch comes from a PyTorch install (the GPU machine, bench/gpu/run.sh), load it before any
// case touches TorchSharp, which some do before they touch the runtime (which would load it by itself).
if (Environment.GetEnvironmentVariable(LibTorch.EnvironmentVariable) is { Length: > 0 } torchLib) LibTorch.Use(torchLib);
switch (parsed.Command)
{
    case "parity": ParityCase.Run(parsed); return 0;
    case "overhead": OverheadCase.Run(parsed); return 0;
    case "optimizers": OptimizerCase.Run(parsed); return 0;
    case "memory": MemoryCase.Run(parsed); return 0;
    case "memory-run": MemoryCase.RunOne(parsed); return 0;
    case "loading": LoadingCase.Run(parsed); return 0;
    case "startup": StartupCase.Run(parsed); return 0;
    case "report": return ReportWriter.Write(parsed) ? 0 : 1;
    case "gpu": GpuCase.Run(parsed); return 0;
    case "ddp": DdpCase.Run(parsed); return 0;
    case "ddp-rank": DdpCase.RunRank(parsed); return 0;
    case "gpu-report": return GpuCase.Report(parsed) ? 0 : 1;
    default:
        Console.Error.WriteLine($"Unknown case '{parsed.Command}'; see bench/run.sh for the cases.");
        return 2;
}
