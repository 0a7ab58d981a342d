using System.Diagnostics;
using System.Text;

namespace Lightning.Templates.Tests.Support;

/// <summary>Runs the dotnet CLI (or a built app) in the tests' isolated NuGet and template environment.</summary>
internal static class Dotnet
{
    /// <summary>The result of a finished process.</summary>
    internal sealed record Result(int ExitCode, string Output, string Error, string CommandLine)
    {
        public string Everything => Output + Error;

        public Result ShouldSucceed()
        {
            if (ExitCode != 0) Assert.Fail($"`{CommandLine}` exited with {ExitCode}.\n{Output}\n{Error}");
            return this;
        }
    }

    public static Result Run(string workingDirectory, params string[] args) => Start("dotnet", workingDirectory, args);

    /// <summary><c>dotnet new</c> against the tests' own template hive.</summary>
    public static Result New(string workingDirectory, params string[] args) =>
        Run(workingDirectory, ["new", .. args, "--debug:custom-hive", TemplateEnvironment.Hive]);

    private static Result Start(string fileName, string workingDirectory, string[] args)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in TemplateEnvironment.Variables) info.Environment[key] = value;
        var output = new StringBuilder();
        var error = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{fileName} {string.Join(' ', args)}` did not finish in 10 minutes.");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.ToString(), error.ToString(), $"{fileName} {string.Join(' ', args)}");
    }
}
