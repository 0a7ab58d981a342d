using System.Runtime.InteropServices;

namespace Lightning;

/// <summary>
/// What can end a run early from outside: the caller's <see cref="CancellationToken"/>, Ctrl+C (SIGINT) and SIGTERM.
/// A signal does not kill the process: the loops stop at the next batch and the trainer shuts down as Lightning does
/// (<c>OnException</c> runs, so <see cref="OnExceptionCheckpoint"/> saves; the loggers are finished; then the process
/// exits with 128 + the signal's number).
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly List<PosixSignalRegistration> _registrations = [];

    public Interruption(CancellationToken cancellationToken)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                // The first signal asks for the graceful shutdown; more of them (a user pressing Ctrl+C again) change nothing.
                context.Cancel = true;
                Signal ??= context.Signal;
                _source.Cancel();
            }));
        }
    }

    /// <summary>The signal that interrupted the run, or null.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>Cancelled by the caller's token or by a signal.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The exit code of a process ended by <see cref="Signal"/>: 130 after Ctrl+C, 143 after SIGTERM, as shells report them.</summary>
    public int ExitCode => Signal == PosixSignal.SIGTERM ? 143 : 130;

    /// <summary>What Lightning prints when the signal arrives.</summary>
    public string Message => Signal == PosixSignal.SIGTERM
        ? "Received SIGTERM, attempting graceful shutdown ..."
        : "Detected KeyboardInterrupt, attempting graceful shutdown ...";

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _source.Dispose();
    }
}
