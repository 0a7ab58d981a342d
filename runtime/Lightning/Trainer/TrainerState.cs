namespace Lightning;

/// <summary>What the trainer is doing: the entry point called, the loop running, and how it ended.</summary>
public sealed class TrainerState
{
    /// <summary>The entry point being run (<c>Fit</c>, <c>Validate</c>, <c>Test</c>, <c>Predict</c>), or null.</summary>
    public Stage? Fn { get; internal set; }

    /// <summary>The loop running now.</summary>
    public RunningStage Stage { get; internal set; }

    /// <summary>Whether the run is going, finished or interrupted.</summary>
    public TrainerStatus Status { get; internal set; }
}
