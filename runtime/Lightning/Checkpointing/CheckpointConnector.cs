namespace Lightning.Checkpointing;

/// <summary>Restores trainer and module state from checkpoints for <c>Fit</c>, <c>Validate</c>, <c>Test</c> and <c>Predict</c>.</summary>
internal static class CheckpointConnector
{
    /// <summary>Restores everything needed to continue fitting: weights, optimizers, schedulers, loop progress, callbacks.</summary>
    public static void RestoreForFit(Trainer trainer, LightningModule module, string ckptPath) =>
        throw new NotSupportedException($"Resuming from '{ckptPath}' needs the checkpoint format, which this build does not have yet.");

    /// <summary>Restores the module's weights for evaluation or prediction.</summary>
    public static void RestoreWeights(Trainer trainer, LightningModule module, string ckptPath) =>
        throw new NotSupportedException($"Loading '{ckptPath}' needs the checkpoint format, which this build does not have yet.");
}
