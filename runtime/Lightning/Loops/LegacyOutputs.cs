using TorchSharp;

namespace Lightning.Loops;

/// <summary>Logs what a 0.x-style <see cref="StepOutput"/> returns: its <c>Log</c> and <c>ProgressBar</c> dictionaries, and its top-level keys.</summary>
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
            trainer.Logging.Log(name, (value ?? barValue)!, toBar, toLogger, onStep, !onStep, Reduce.Mean, null);
        }
    }

    /// <summary>
    /// What a 0.x <c>*EpochEnd</c> hook returned: the <c>Log</c> and <c>ProgressBar</c> dictionaries as
    /// <see cref="Log"/> does, and, as Lightning 0.7 did, every scalar top-level key as a callback metric, so
    /// <c>{"avg_val_loss": ..., "progress_bar": {...}}</c> can be monitored by early stopping and checkpointing.
    /// </summary>
    public static void LogEpochEnd(Trainer trainer, StepOutput? output)
    {
        Log(trainer, output, onStep: false);
        if (output is null) return;
        foreach (var (name, value) in output)
        {
            if (value.numel() != 1 || (output.HasLegacyEntries && (output.Log.ContainsKey(name) || output.ProgressBar.ContainsKey(name)))) continue;
            trainer.Logging.Log(name, value.ToDouble(), progBar: false, logger: false, onStep: false, onEpoch: true, Reduce.Mean, null);
        }
    }
}
