using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// An exponential moving average of the weights (Lightning's <c>EMAWeightAveraging</c>): every
/// <see cref="UpdateEveryNSteps"/> optimizer steps, from <see cref="UpdateStartingAtStep"/> or
/// <see cref="UpdateStartingAtEpoch"/> on, <c>average = decay * average + (1 - decay) * current</c>; the first update
/// copies. Validation, checkpoints and the module after training use the average (see <see cref="WeightAveraging"/>).
/// </summary>
public sealed class EMAWeightAveraging : WeightAveraging
{
    /// <summary>Creates the callback.</summary>
    /// <param name="decay">How much of the average each update keeps, in [0, 1].</param>
    /// <param name="updateEveryNSteps">Update after every n-th optimizer step; 0 updates only at epoch ends (with <paramref name="updateStartingAtEpoch"/>).</param>
    /// <param name="updateStartingAtStep">The first optimizer step (0-based) after which to update; null from the start.</param>
    /// <param name="updateStartingAtEpoch">Also update at the end of this epoch and the later ones; null never at epoch ends.</param>
    public EMAWeightAveraging(double decay = 0.999, int updateEveryNSteps = 1, long? updateStartingAtStep = null, int? updateStartingAtEpoch = null)
    {
        if (decay is < 0 or > 1 || double.IsNaN(decay))
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "EMAWeightAveraging(decay:) must be between 0 and 1, for example 0.999.");
        if (updateEveryNSteps < 0)
            throw new ArgumentOutOfRangeException(nameof(updateEveryNSteps), updateEveryNSteps, "EMAWeightAveraging(updateEveryNSteps:) cannot be negative; 0 turns step updates off.");
        Decay = decay;
        UpdateEveryNSteps = updateEveryNSteps;
        UpdateStartingAtStep = updateStartingAtStep;
        UpdateStartingAtEpoch = updateStartingAtEpoch;
    }

    /// <summary>The share of the average each update keeps.</summary>
    public double Decay { get; }

    /// <summary>Steps between updates; 0 for none.</summary>
    public int UpdateEveryNSteps { get; }

    /// <summary>The first step after which the average updates, or null.</summary>
    public long? UpdateStartingAtStep { get; }

    /// <summary>The first epoch at whose end the average updates, or null.</summary>
    public int? UpdateStartingAtEpoch { get; }

    /// <inheritdoc />
    public override bool ShouldUpdate(long? stepIdx = null, int? epochIdx = null)
    {
        if (stepIdx is { } step && UpdateEveryNSteps > 0 && step % UpdateEveryNSteps == 0 && (UpdateStartingAtStep is null || step >= UpdateStartingAtStep))
            return true;
        return epochIdx is { } epoch && UpdateStartingAtEpoch is { } start && epoch >= start;
    }

    /// <inheritdoc />
    protected override void Average(Tensor averaged, Tensor current, long numAveraged) =>
        averaged.mul_(Decay).add_(current, alpha: 1 - Decay);
}
