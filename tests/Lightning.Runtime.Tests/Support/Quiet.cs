namespace Lightning.Tests.Support;

/// <summary>
/// Trainer options for tests: on the CPU (tests compare results bit for bit and use float64, which MPS lacks), no progress
/// bar, summary or logger, in a fresh folder.
/// </summary>
internal static class Quiet
{
    public static TrainerOptions Options(int maxEpochs = 1) => new()
    {
        Accelerator = "cpu",
        MaxEpochs = maxEpochs,
        DefaultRootDir = TempDir.Create(),
        EnableProgressBar = false,
        EnableModelSummary = false,
        EnableCheckpointing = false,
        Logger = false,
    };
}
