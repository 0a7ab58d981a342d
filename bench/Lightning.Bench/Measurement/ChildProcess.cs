using System.Diagnostics;

namespace Lightning.Bench.Measurement;

/// <summary>Runs this benchmark program again as a child process, for measurements that need a fresh process.</summary>
internal static class ChildProcess
{
    /// <summary>Starts <c>Lightning.Bench</c> with <paramref name="arguments"/>, its output passed through.</summary>
    public static Process StartSelf(params string[] arguments) => Start(Environment.ProcessPath!, arguments);

    public static Process Start(string program, IEnumerable<string> arguments, bool captureOutput = false, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = captureOutput,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
    }

    /// <summary>Waits for <paramref name="process"/> and fails with its exit code when it failed.</summary>
    public static void Check(Process process, string what)
    {
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{what} failed with exit code {process.ExitCode}; its output is above.");
    }
}
