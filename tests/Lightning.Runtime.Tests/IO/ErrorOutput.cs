namespace Lightning.Tests.IO;

/// <summary>Captures what is written to standard error (the runtime's warnings) until disposed.</summary>
internal sealed class ErrorOutput : IDisposable
{
    private readonly TextWriter _previous = Console.Error;
    private readonly StringWriter _captured = new();

    public ErrorOutput() => Console.SetError(_captured);

    public string Text => _captured.ToString();

    public void Dispose() => Console.SetError(_previous);
}
