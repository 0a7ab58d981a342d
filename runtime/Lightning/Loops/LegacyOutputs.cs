using TorchSharp;
namespace Lightning.Loops;

/// <summary>Logs the 0.x <c>Log</c> and <c>ProgressBar</c> dictionaries of a returned <see cref="StepOutput"/>.</summary>
internal static class LegacyOutputs
{
    public static void Log(Trainer trainer, StepOutput? output, bool onStep)
    {
        if (output is null) return;
        foreach (var (name, value) in output.Log)
            trainer.Logging.Log(name, value.ToDouble(), progBar: false, logger: true, onStep, !onStep, Reduce.Mean, null);
        foreach (var (name, value) in output.ProgressBar)
            trainer.Logging.Log(name, value.ToDouble(), progBar: true, logger: false, onStep, !onStep, Reduce.Mean, null);
    }
}
