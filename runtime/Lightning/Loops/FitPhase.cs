namespace Lightning.Loops;

/// <summary>
/// Where in an epoch fitting stands, between two pieces of work. A checkpoint records it, and a resumed fit does
/// the work that follows it and nothing before it, so no batch or hook runs twice or is skipped.
/// </summary>
internal enum FitPhase
{
    /// <summary>The epoch has not started: <c>OnTrainEpochStart</c> and the first batch come next.</summary>
    EpochStart,

    /// <summary>
    /// A batch ran through its <c>OnTrainBatchEnd</c> hooks; its step metrics, the time and validation checks and
    /// the stop checks that follow it come next.
    /// </summary>
    BatchEnded,

    /// <summary>The validation run after a batch ran through its <c>OnValidationEnd</c> hooks; the return to training comes next.</summary>
    ValidationEnded,

    /// <summary>Everything after a batch is done; the next batch, or the epoch's end, comes next.</summary>
    BatchDone,

    /// <summary>The epoch's <c>OnTrainEpochEnd</c> hooks ran after its last batch; the metric-driven schedulers and the next epoch come next.</summary>
    EpochEnded,

    /// <summary>
    /// A step limit or a stop request ended the epoch before its last batch and its <c>OnTrainEpochEnd</c> hooks
    /// ran. A fit resumed from here goes on with the epoch's remaining batches, as Lightning's does, so a fit
    /// stopped by <c>MaxSteps</c> and resumed with a larger one trains on what the straight run trains on.
    /// </summary>
    EpochCut,

    /// <summary>
    /// The module's <c>OnTrainBatchStart</c> returned -1 before the epoch's last batch, skipping the rest of it, and
    /// the epoch's <c>OnTrainEpochEnd</c> hooks ran. The next epoch comes next, in full; the metric-driven schedulers
    /// do not step, as Lightning steps them only after an epoch's last batch (their metric may not exist: no
    /// validation check ran). A fit resumed from here starts that next epoch.
    /// </summary>
    EpochRestSkipped,
}
