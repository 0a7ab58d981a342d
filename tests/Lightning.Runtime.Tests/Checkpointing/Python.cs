using System.Diagnostics;

namespace Lightning.Tests;

/// <summary>Runs Python with PyTorch (Debian's python3-torch) when this machine has it.</summary>
internal static class Python
{
    private static readonly Lazy<string?> Interpreter = new(Find);

    /// <summary>The interpreter with torch; where no Python here can import it, the test ends inconclusive.</summary>
    public static string WithTorch => Interpreter.Value ?? throw new AssertInconclusiveException(
        "Python with PyTorch is not installed here (apt-get install python3-torch); this direction is checked where it is.");

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/>; returns standard output, or fails the test with standard error.</summary>
    public static string Run(string interpreter, string script, params string[] arguments)
    {
        var (code, output, error) = Execute(interpreter, ["-c", script, .. arguments]);
        Assert.AreEqual(0, code, $"python failed:\n{error}");
        return output;
    }

    private static string? Find() =>
        new[] { "/usr/bin/python3", "python3" }.FirstOrDefault(candidate =>
        {
            try
            {
                return Execute(candidate, ["-c", "import torch"]).Code == 0;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        });

    private static (int Code, string Output, string Error) Execute(string interpreter, string[] arguments)
    {
        var start = new ProcessStartInfo(interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
