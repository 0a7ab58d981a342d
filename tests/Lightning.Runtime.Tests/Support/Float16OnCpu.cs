using Lightning.Precision;

namespace Lightning.Tests.Support;

/// <summary>
/// Trainers with <c>16-mixed</c> (float16 autocast and the loss scaler) on the CPU. A user asking for it there gets
/// <c>bf16-mixed</c>, as in Lightning; LibTorch runs float16 autocast on the CPU all the same, so tests put the plugin
/// in place themselves to cover the scaler's skipping, unscaling and checkpointed state on machines without a GPU.
/// </summary>
internal static class Float16OnCpu
{
    /// <summary>
    /// A trainer for <paramref name="options"/>; where they ask for <c>16-mixed</c>, it gets that plugin, not the
    /// user-facing switch to <c>bf16-mixed</c>.
    /// </summary>
    public static Trainer Trainer(TrainerOptions options)
    {
        if (options.Precision != "16-mixed") return new Trainer(options);
        options.Precision = "32-true";
        var trainer = new Trainer(options);
        options.Precision = "16-mixed";
        trainer.Precision = PrecisionPlugin.Create("16-mixed", trainer.RootDevice);
        return trainer;
    }
}
