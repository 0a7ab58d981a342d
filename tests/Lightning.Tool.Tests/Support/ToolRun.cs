namespace Lightning.Tool.Tests.Support;

/// <summary>One in-process run of <c>dotnet lightning</c>: its exit code and what it printed.</summary>
internal sealed record ToolRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs the tool with <paramref name="args"/> from <paramref name="workingDirectory"/>.</summary>
    public static ToolRun Invoke(string workingDirectory, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = ToolApp.Run(args, new ToolContext(output, error, workingDirectory));
        return new ToolRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Everything printed, for assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}{Output}{Error}";
}
