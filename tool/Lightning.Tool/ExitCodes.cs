namespace Lightning.Tool;

/// <summary>The process exit codes of <c>dotnet lightning</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked (or found nothing to do).</summary>
    public const int Success = 0;

    /// <summary>The command failed: the project, a file or the environment is not as it must be.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: an unknown option, hook or kind, a bad name, a missing <c>--class</c>.</summary>
    public const int Usage = 2;
}
