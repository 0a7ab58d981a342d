namespace Lightning;

/// <summary>
/// The one place the runtime writes text for people. Results, tables, the progress bar and <c>Print</c> go to standard
/// output; what the trainer did on the user's behalf and warnings go to standard error, where Lightning's log messages
/// go, so a program's own output stays clean. A data-parallel job shows them once, from global rank 0 (warnings
/// excepted: each rank may meet its own). <see cref="RedirectTo"/> sends all of it elsewhere for the calling code and
/// what it starts, without touching the process-wide <see cref="Console"/> (<c>LightningCli</c> writes here too unless
/// its settings name writers).
/// </summary>
public static class Output
{
    private static readonly AsyncLocal<Writers?> Redirection = new();

    /// <summary>Where results, tables, the progress bar and <c>Print</c> go: standard output unless redirected.</summary>
    public static TextWriter Out => Redirection.Value?.Out ?? Console.Out;

    /// <summary>Where information and warnings go: standard error unless redirected.</summary>
    public static TextWriter Error => Redirection.Value?.Error ?? Console.Error;

    /// <summary>
    /// Whether <see cref="Out"/> is a terminal a line can be redrawn on: not redirected to a writer, a file or a pipe,
    /// and not a terminal that says it cannot (<c>TERM=dumb</c>).
    /// </summary>
    internal static bool IsTerminal => Redirection.Value is null && !Console.IsOutputRedirected &&
        !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);

    /// <summary>
    /// Whether this process shows what a job shows once (tables, the progress bar, information): the process of global
    /// rank 0, or any process when no trainer runs.
    /// </summary>
    internal static bool Shows(Trainer? trainer) => trainer is not { IsGlobalZero: false };

    /// <summary>Tells the user what the trainer did on their behalf (Lightning's <c>rank_zero_info</c>), once per job.</summary>
    internal static void Info(Trainer trainer, string message)
    {
        if (Shows(trainer)) Error.WriteLine(message);
    }

    /// <summary>Tells the user about something that works but is probably not what they meant.</summary>
    internal static void Warn(string message) => Error.WriteLine("Warning: " + message);

    /// <summary>
    /// Sends everything written here to <paramref name="output"/> and <paramref name="error"/> (null: where it goes
    /// now) for the calling code and the tasks and threads it starts, until the result is disposed.
    /// </summary>
    public static IDisposable RedirectTo(TextWriter? output = null, TextWriter? error = null)
    {
        var previous = Redirection.Value;
        Redirection.Value = new Writers(output ?? Out, error ?? Error);
        return new Restore(() => Redirection.Value = previous);
    }

    private sealed record Writers(TextWriter Out, TextWriter Error);
}
