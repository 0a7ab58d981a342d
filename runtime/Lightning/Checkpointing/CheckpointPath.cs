namespace Lightning.Checkpointing;

/// <summary>Turns a <c>ckptPath</c> argument into a file: a path as given, <c>"best"</c> or <c>"last"</c>.</summary>
internal static class CheckpointPath
{
    /// <summary>
    /// The file to load, or null when <c>"last"</c> finds no checkpoint (not an error, so scripts can always pass
    /// it and start fresh the first time).
    /// </summary>
    /// <param name="trainer">The trainer, whose checkpoint callbacks know the files.</param>
    /// <param name="ckptPath">The argument.</param>
    /// <param name="entryPoint">The method called, for messages (<c>"Fit"</c>, <c>"Test"</c>, ...).</param>
    /// <param name="warnIfMissing">Whether to warn when <c>"last"</c> finds nothing.</param>
    /// <exception cref="InvalidOperationException"><c>"best"</c> without a <see cref="ModelCheckpoint"/> or before it saved.</exception>
    public static string? Resolve(Trainer trainer, string ckptPath, string entryPoint, bool warnIfMissing = true)
    {
        switch (ckptPath)
        {
            case "best":
            {
                var callback = trainer.CheckpointCallback ?? throw new InvalidOperationException(
                    $"Trainer.{entryPoint}(ckptPath: \"best\") needs a ModelCheckpoint callback, and this trainer has none: leave EnableCheckpointing on " +
                    "(the default) or add a ModelCheckpoint, or pass the path of a checkpoint file.");
                if (callback.BestModelPath.Length > 0) return callback.BestModelPath;
                throw new InvalidOperationException(trainer.FastDev
                    ? $"Trainer.{entryPoint}(ckptPath: \"best\") cannot be used with FastDevRun, which saves no checkpoints; pass the path of a checkpoint file."
                    : $"Trainer.{entryPoint}(ckptPath: \"best\") found no best checkpoint: the ModelCheckpoint has not saved one yet. Fit first, or pass the path of a checkpoint file.");
            }
            case "last":
            {
                var candidates = trainer.Callbacks.OfType<ModelCheckpoint>().SelectMany(c => c.FindLastCheckpoints())
                    .Concat(trainer.Callbacks.OfType<OnExceptionCheckpoint>().Select(c => c.CkptPath))
                    .Where(File.Exists).ToList();
                if (candidates.Count > 0) return candidates.MaxBy(File.GetLastWriteTimeUtc);
                if (warnIfMissing)
                    Warnings.Write($"Trainer.{entryPoint}(ckptPath: \"last\") found no last checkpoint, so none is loaded. " +
                                   "ModelCheckpoint(saveLast: true) keeps one.");
                return null;
            }
            default:
                return ckptPath;
        }
    }
}
