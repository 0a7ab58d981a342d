namespace Lightning.Tests.Support;

/// <summary>How a child process ended: its exit code and what it wrote (standard output, then standard error).</summary>
internal sealed record CommandResult(int ExitCode, string Output)
{
    public override string ToString() => $"exit code {ExitCode}:\n{Output}";
}
