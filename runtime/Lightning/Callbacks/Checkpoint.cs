namespace Lightning;

/// <summary>
/// A callback that saves checkpoints (Lightning's <c>Checkpoint</c>): <see cref="ModelCheckpoint"/>,
/// <see cref="OnExceptionCheckpoint"/>. The trainer runs checkpoint callbacks after every other callback and
/// after the module in each hook they save from (<c>OnTrainBatchEnd</c>, <c>OnValidationEnd</c>,
/// <c>OnTrainEpochEnd</c>), so a checkpoint holds all that hook did and a fit resumed from it goes on exactly
/// as the saved one would have.
/// </summary>
public abstract class Checkpoint : Callback
{
    /// <inheritdoc />
    protected internal sealed override bool MonitorsMetrics => true;
}
