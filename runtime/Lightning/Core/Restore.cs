namespace Lightning;

/// <summary>
/// Puts back a setting changed for a scope: the <see cref="IDisposable"/> that <c>using</c> statements around a
/// temporary change (file operations, the output sink's redirect, LibTorch's global flags) dispose of.
/// </summary>
/// <param name="restore">What puts the previous setting back.</param>
internal sealed class Restore(Action restore) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose() => restore();
}
