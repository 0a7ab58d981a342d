using Lightning.Precision;

namespace Lightning;

/// <summary>Checks <see cref="TrainerOptions"/> before any work, naming the option and what it accepts.</summary>
internal static class TrainerOptionsValidator
{
    private static readonly string[] Accelerators = ["auto", "cpu", "cuda", "gpu", "mps"];
    private static readonly string[] Profilers = ["simple", "advanced"];

    public static void Validate(TrainerOptions o)
    {
        if (o.MaxEpochs is < -1)
            Fail(nameof(o.MaxEpochs), o.MaxEpochs, "must be a non-negative number of epochs, or -1 for no limit");
        if (o.MinEpochs is < 0)
            Fail(nameof(o.MinEpochs), o.MinEpochs, "must be a non-negative number of epochs");
        if (o.MaxSteps < -1)
            Fail(nameof(o.MaxSteps), o.MaxSteps, "must be a non-negative number of steps, or -1 for no limit");
        if (o.MinSteps is < 0)
            Fail(nameof(o.MinSteps), o.MinSteps, "must be a non-negative number of steps");
        if (o.DistributedTimeout <= TimeSpan.Zero)
            Fail(nameof(o.DistributedTimeout), o.DistributedTimeout, "must be a positive duration");
        if (o.NumNodes < 1)
            Fail(nameof(o.NumNodes), o.NumNodes, "must be at least 1 machine");
        if (o.MaxTime is { } t && t <= TimeSpan.Zero)
            Fail(nameof(o.MaxTime), t, "must be a positive duration");
        o.LimitTrainBatches.Validate(nameof(o.LimitTrainBatches));
        o.LimitValBatches.Validate(nameof(o.LimitValBatches));
        o.LimitTestBatches.Validate(nameof(o.LimitTestBatches));
        o.LimitPredictBatches.Validate(nameof(o.LimitPredictBatches));
        o.OverfitBatches.Validate(nameof(o.OverfitBatches));
        o.ValCheckInterval.Validate(nameof(o.ValCheckInterval));
        if (o.ValCheckInterval.Count == 0 || o.ValCheckInterval.Fraction == 0.0)
            Fail(nameof(o.ValCheckInterval), o.ValCheckInterval, "must be a positive number of batches or a fraction in (0.0, 1.0]");
        if (o.CheckValEveryNEpoch is < 1)
            Fail(nameof(o.CheckValEveryNEpoch), o.CheckValEveryNEpoch, "must be at least 1, or null to count ValCheckInterval batches across epochs");
        if (o.CheckValEveryNEpoch is null && o.ValCheckInterval.Count is null)
            Fail(nameof(o.CheckValEveryNEpoch), null, "may be null only when ValCheckInterval is a whole number of batches");
        if (o.NumSanityValSteps < -1)
            Fail(nameof(o.NumSanityValSteps), o.NumSanityValSteps, "must be a non-negative number of batches, or -1 for all");
        if (o.AccumulateGradBatches < 1)
            Fail(nameof(o.AccumulateGradBatches), o.AccumulateGradBatches, "must be at least 1 (1 means no accumulation)");
        if (o.GradientClipVal is { } clip && (double.IsNaN(clip) || clip < 0))
            Fail(nameof(o.GradientClipVal), clip, "must be a non-negative number, or null for no clipping");
        if (o.LogEveryNSteps < 1)
            Fail(nameof(o.LogEveryNSteps), o.LogEveryNSteps, "must be at least 1");
        if (o.ReloadDataloadersEveryNEpochs < 0)
            Fail(nameof(o.ReloadDataloadersEveryNEpochs), o.ReloadDataloadersEveryNEpochs, "must be non-negative");
        if (o.Gpus is < -1)
            Fail(nameof(o.Gpus), o.Gpus, "must be a number of GPUs, or -1 for all");
        if (!Accelerators.Contains(o.Accelerator, StringComparer.OrdinalIgnoreCase))
            Fail(nameof(o.Accelerator), o.Accelerator, $"must be one of {string.Join(", ", Accelerators)}");
        if (o.Profiler is { Length: > 0 } profiler && !Profilers.Contains(profiler, StringComparer.OrdinalIgnoreCase))
            Fail(nameof(o.Profiler), profiler, $"must be one of {string.Join(", ", Profilers)}, or null for none");
        if (!PrecisionNames.IsKnown(o.Precision))
            Fail(nameof(o.Precision), o.Precision, $"must be one of {string.Join(", ", PrecisionNames.All)}");
    }

    private static void Fail(string option, object? value, string rule) =>
        throw new ArgumentOutOfRangeException(option, value, $"TrainerOptions.{option} {rule}; it is {value ?? "null"}.");
}
