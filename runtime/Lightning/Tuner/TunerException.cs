namespace Lightning;

/// <summary>
/// A tuner search cannot work with this module as it is: the learning-rate finder has no property to set the rate it
/// finds on, or <c>ConfigureOptimizers</c> returns several optimizers; the batch size finder has no property to set the
/// size on, or not even batch size 1 fits. The message names the problem and the fix. It is
/// an <see cref="InvalidOperationException"/>, so code that caught that still does; a command line turns it into one line.
/// </summary>
public sealed class TunerException : InvalidOperationException
{
    internal TunerException(string message)
        : base(message)
    {
    }
}
