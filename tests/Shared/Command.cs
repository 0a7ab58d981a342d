using System.Diagnostics;

namespace Lightning.Tests.Support;

/// <summary>Runs a program to completion and collects what it printed.</summary>
internal static class Command
{
    // Not a timed assertion: a guard so that a hung child fails its test instead of stalling the whole run.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(10);

    public static CommandResult Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(HangGuard))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} was still running after {HangGuard}.");
        }
        return new CommandResult(process.ExitCode, output.Result + error.Result);
    }
}
