using System.Diagnostics;

namespace Lightning.Tests;

/// <summary>
/// Runs Python with PyTorch. <c>./build.sh test</c> installs Debian's python3-torch where the system offers it and names
/// the interpreter that imports torch in <c>LIGHTNING_PYTHON</c>; the tests then require it. Run on their own, the
/// tests look for one (the system's first: a pyenv or venv <c>python3</c> on the PATH seldom has torch).
/// </summary>
internal static class Python
{
    private const string Variable = "LIGHTNING_PYTHON";

    private static readonly Lazy<string?> Interpreter = new(Find);

    /// <summary>
    /// The interpreter with torch. Where the set-up named none and no Python here imports torch, the test ends
    /// inconclusive; where the set-up named one that cannot import torch, it fails.
    /// </summary>
    public static string WithTorch => Interpreter.Value ?? throw new AssertInconclusiveException(
        "Python with PyTorch is not installed here (apt-get install python3-torch, or run ./build.sh test, which installs it); this direction is checked where it is.");

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/>; returns standard output, or fails the test with standard error.</summary>
    public static string Run(string interpreter, string script, params string[] arguments)
    {
        var (code, output, error) = Execute(interpreter, ["-c", script, .. arguments]);
        Assert.AreEqual(0, code, $"python failed:\n{error}");
        return output;
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } named)
        {
            Assert.IsTrue(ImportsTorch(named),
                $"{Variable}={named}, which the set-up found importing torch, cannot import it now (python3-torch removed?). Run ./build.sh test again.");
            return named;
        }
        return new[] { "/usr/bin/python3", "python3" }.FirstOrDefault(ImportsTorch);
    }

    private static bool ImportsTorch(string interpreter)
    {
        try
        {
            return Execute(interpreter, ["-c", "import torch"]).Code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

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
