namespace Lightning;

/// <summary>Where the trainer's current run stands.</summary>
public enum TrainerStatus
{
    /// <summary>Not started.</summary>
    Initializing,
    /// <summary>Running.</summary>
    Running,
    /// <summary>Finished normally.</summary>
    Finished,
    /// <summary>Stopped by an exception or interruption.</summary>
    Interrupted,
}
