namespace Lightning.Logging;

/// <summary>How one logged metric is shown, sent and aggregated; fixed by its first <c>Log</c> call in a hook.</summary>
internal sealed record MetricOptions(bool ProgBar, bool Logger, bool OnStep, bool OnEpoch, Reduce Reduce)
{
    /// <summary>Logged both per step and per epoch, so its names fork into <c>_step</c> and <c>_epoch</c>.</summary>
    public bool Forked => OnStep && OnEpoch;
}
