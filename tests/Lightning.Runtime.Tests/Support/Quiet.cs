namespace Lightning.Tests.Support;

/// <summary>Trainer options for tests: no progress bar, summary or logger, in a fresh folder.</summary>
internal static class Quiet
{
    public static TrainerOptions Options(int maxEpochs = 1) => new()
    {
        MaxEpochs = maxEpochs,
        DefaultRootDir = TempDir.Create(),
        EnableProgressBar = false,
        EnableModelSummary = false,
        EnableCheckpointing = false,
        Logger = false,
    };
}
