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
    /// <exception cref="CheckpointException"><c>"best"</c> without a <see cref="ModelCheckpoint"/> or before it saved.</exception>
    public static string? Resolve(Trainer trainer, string ckptPath, string entryPoint, bool warnIfMissing = true)
    {
        switch (ckptPath)
        {
            case "best":
            {
                var callback = trainer.CheckpointCallback ?? throw new CheckpointException(null,
                    $"Trainer.{entryPoint}(ckptPath: \"best\") needs a ModelCheckpoint callback, and this trainer has none: leave EnableCheckpointing on " +
                    "(the default) or add a ModelCheckpoint, or pass the path of a checkpoint file.");
                if (callback.BestModelPath.Length > 0) return callback.BestModelPath;
                if (!trainer.FastDev && EarlierBest(trainer, callback) is { } earlier) return earlier;
                throw new CheckpointException(null, trainer.FastDev
                    ? $"Trainer.{entryPoint}(ckptPath: \"best\") cannot be used with FastDevRun, which saves no checkpoints; pass the path of a checkpoint file."
                    : $"Trainer.{entryPoint}(ckptPath: \"best\") found no best checkpoint: the ModelCheckpoint has not saved one in this run, and " +
                      $"{string.Join(", ", EarlierRunFolders(trainer, callback).DefaultIfEmpty("no earlier run's checkpoint folder"))} holds none. Fit first, or pass the path of a checkpoint file.");
            }
            case "last":
            {
                var candidates = trainer.Callbacks.OfType<ModelCheckpoint>().SelectMany(c => c.FindLastCheckpoints())
                    .Concat(trainer.Callbacks.OfType<OnExceptionCheckpoint>().Select(c => c.CkptPath))
                    .Where(File.Exists).ToList();
                if (candidates.Count > 0) return candidates.MaxBy(File.GetLastWriteTimeUtc);
                if (trainer.CheckpointCallback is { } checkpointCallback && EarlierLast(trainer, checkpointCallback) is { } earlierLast) return earlierLast;
                if (warnIfMissing)
                    Output.Warn($"Trainer.{entryPoint}(ckptPath: \"last\") found no last checkpoint, so none is loaded. " +
                                   "ModelCheckpoint(saveLast: true) keeps one.");
                return null;
            }
            default:
                return ckptPath;
        }
    }

    // A new process (`dotnet run -- test --ckpt-path best` after `dotnet run -- fit`) has a fresh ModelCheckpoint whose
    // folder may be a new version_N. "best" and "last" then mean those of the latest earlier run that saved any.

    private static string? EarlierBest(Trainer trainer, ModelCheckpoint callback)
    {
        foreach (var folder in EarlierRunFolders(trainer, callback))
        {
            var newest = Directory.EnumerateFiles(folder, "*" + ModelCheckpoint.FileExtension).MaxBy(File.GetLastWriteTimeUtc);
            if (newest is null) continue;
            var states = CheckpointFile.Read(newest).GetValueOrDefault(CheckpointKeys.Callbacks) as IReadOnlyDictionary<string, object?>;
            var best = states?.Values.OfType<IReadOnlyDictionary<string, object?>>()
                .Select(state => state.GetValueOrDefault("best_model_path") as string)
                .FirstOrDefault(path => !string.IsNullOrEmpty(path) && File.Exists(path));
            if (best is not null) return best;
        }
        return null;
    }

    private static string? EarlierLast(Trainer trainer, ModelCheckpoint callback) =>
        EarlierRunFolders(trainer, callback)
            .Select(folder => Directory.EnumerateFiles(folder, callback.CheckpointNameLast + "*" + ModelCheckpoint.FileExtension).MaxBy(File.GetLastWriteTimeUtc))
            .FirstOrDefault(path => path is not null);

    /// <summary>The callback's folder, then the checkpoint folders of the logger's earlier versions, newest first.</summary>
    private static IEnumerable<string> EarlierRunFolders(Trainer trainer, ModelCheckpoint callback)
    {
        var folders = new List<string>();
        if (callback.Dirpath is { } own) folders.Add(own);
        if (trainer.Logger is FileLogger logger && Directory.Exists(Path.Combine(logger.RootDir, logger.Name)))
        {
            folders.AddRange(Directory.GetDirectories(Path.Combine(logger.RootDir, logger.Name), "version_*")
                .Select(d => (Folder: d, Number: int.TryParse(Path.GetFileName(d)["version_".Length..], out var n) ? n : -1))
                .OrderByDescending(v => v.Number)
                .Select(v => Path.GetFullPath(Path.Combine(v.Folder, "checkpoints"))));
        }
        return folders.Distinct().Where(Directory.Exists);
    }
}
