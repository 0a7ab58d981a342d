using System.Runtime.InteropServices;

namespace Lightning.Bench.Report;

/// <summary>What the report says about the machine and software the numbers came from.</summary>
internal static class MachineDescription
{
    public static IEnumerable<string> Lines()
    {
        yield return $"CPU: {Field("/proc/cpuinfo", "model name", ':') ?? RuntimeInformation.ProcessArchitecture.ToString()}, " +
            $"{Environment.ProcessorCount} logical cores";
        if (Field("/proc/meminfo", "MemTotal", ':') is { } memory) yield return $"Memory: {memory}";
        yield return $"OS: {Field("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription}, kernel {Environment.OSVersion.Version}";
        yield return $".NET: {RuntimeInformation.FrameworkDescription}; TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}; " +
            (LibTorch.Location is { } torchLib
                ? $"LibTorch of the PyTorch install in {torchLib}"
                : $"LibTorch {TorchSharp.torch.__version__} (CPU)");
    }

    private static string? Field(string file, string key, char separator)
    {
        if (!File.Exists(file)) return null;
        return File.ReadLines(file)
            .Where(l => l.StartsWith(key, StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(separator) + 1)..].Trim())
            .FirstOrDefault();
    }
}
