namespace Lightning.Bench.Models;

/// <summary>The cases' bare Trainer: the defaults that cost time (progress bar, logger, checkpointing, summary) switched off.</summary>
internal static class BareTrainer
{
    public static TrainerOptions Options(string accelerator, int maxEpochs, string? rootDir = null) => new()
    {
        Accelerator = accelerator,
        MaxEpochs = maxEpochs,
        DefaultRootDir = rootDir ?? Path.GetTempPath(),
        EnableProgressBar = false,
        Logger = false,
        EnableCheckpointing = false,
        EnableModelSummary = false,
    };
}
