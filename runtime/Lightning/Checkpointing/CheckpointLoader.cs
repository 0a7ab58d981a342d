namespace Lightning.Checkpointing;

/// <summary>Rebuilds modules from checkpoint files.</summary>
internal static class CheckpointLoader
{
    /// <summary>Constructs <typeparamref name="T"/> from the checkpoint's hyperparameters and loads its weights.</summary>
    public static T LoadModule<T>(string path, bool? strict) where T : LightningModule =>
        throw new NotSupportedException($"Loading '{path}' (strict: {strict}) needs the checkpoint format, which this build does not have yet.");
}
