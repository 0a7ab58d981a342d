using TorchSharp;

namespace Lightning.Loops;

/// <summary>Logs the 0.x <c>Log</c> and <c>ProgressBar</c> dictionaries of a returned <see cref="StepOutput"/>.</summary>
internal static class LegacyOutputs
{
    /// <summary>A name in both dictionaries is one metric shown in the bar and sent to the loggers.</summary>
    public static void Log(Trainer trainer, StepOutput? output, bool onStep)
    {
        if (output is null || !output.HasLegacyEntries) return;
        foreach (var name in output.Log.Keys.Union(output.ProgressBar.Keys))
        {
            var toLogger = output.Log.TryGetValue(name, out var value);
            var toBar = output.ProgressBar.TryGetValue(name, out var barValue);
            trainer.Logging.Log(name, (value ?? barValue)!.ToDouble(), toBar, toLogger, onStep, !onStep, Reduce.Mean, null);
        }
    }
}
