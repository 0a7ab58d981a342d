namespace Lightning.Tool;

/// <summary>
/// A problem the user can fix, reported as its message (which names the problem and the fix) and exit code
/// instead of a stack trace. Thrown before any file is written, so the user's files stay as they were.
/// </summary>
internal sealed class ToolException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    /// <summary>The process exit code this problem ends the command with.</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>A problem with the command line (exit code 2).</summary>
    public static ToolException Usage(string message) => new(message, ExitCodes.Usage);
}
