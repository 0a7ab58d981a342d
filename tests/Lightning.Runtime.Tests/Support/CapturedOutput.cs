namespace Lightning.Tests.Support;

/// <summary>
/// Captures what the runtime writes for people (standard output and standard error through its one output sink) in
/// the test's flow until disposed, leaving the process-wide <see cref="Console"/> alone.
/// </summary>
internal sealed class CapturedOutput : IDisposable
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();
    private readonly IDisposable _redirection;

    public CapturedOutput() => _redirection = Output.RedirectTo(_out, _error);

    /// <summary>What went to standard output: results, tables, the progress bar, <c>Print</c>.</summary>
    public string Out => _out.ToString();

    /// <summary>What went to standard error: information and warnings.</summary>
    public string Error => _error.ToString();

    /// <summary>Runs <paramref name="action"/> and returns what it wrote to standard error.</summary>
    public static string ErrorOf(Action action)
    {
        using var captured = new CapturedOutput();
        action();
        return captured.Error;
    }

    public void Dispose() => _redirection.Dispose();
}
