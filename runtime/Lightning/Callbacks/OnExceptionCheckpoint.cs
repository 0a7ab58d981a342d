namespace Lightning;

/// <summary>
/// Saves a checkpoint when fit, validate, test or predict fails with an exception (Lightning's
/// <c>OnExceptionCheckpoint</c>), to <c>Dirpath/Filename.ckpt</c>. A run that ends normally removes the file.
/// With this callback, <c>Fit</c> without a <c>ckptPath</c> resumes from the newest "last" checkpoint, this
/// one included, as in Lightning. The state is the one at the failure: a fit resumed from it continues from
/// the last completed batch, but the failed batch may have changed the weights before it failed.
/// </summary>
public sealed class OnExceptionCheckpoint : Checkpoint
{
    /// <summary>The extension of the checkpoint file.</summary>
    public const string FileExtension = ".ckpt";

    /// <summary>Creates the callback.</summary>
    /// <param name="dirpath">The folder of the checkpoint.</param>
    /// <param name="filename">The file name without extension.</param>
    public OnExceptionCheckpoint(string dirpath, string filename = "on_exception")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dirpath);
        if (string.IsNullOrEmpty(filename)) throw new ArgumentException("The file name cannot be empty.", nameof(filename));
        Dirpath = Path.GetFullPath(dirpath);
        Filename = filename;
    }

    /// <summary>The folder of the checkpoint.</summary>
    public string Dirpath { get; }

    /// <summary>The file name without extension.</summary>
    public string Filename { get; }

    /// <summary>The checkpoint's path.</summary>
    public string CkptPath => Path.Combine(Dirpath, Filename + FileExtension);

    /// <inheritdoc />
    public override void OnException(Trainer trainer, LightningModule module, Exception exception)
    {
        // The run's own exception is the one to report; a failed save only adds a warning.
        try
        {
            trainer.SaveCheckpoint(CkptPath);
        }
        catch (Exception saveFailure) when (saveFailure is not OutOfMemoryException)
        {
            Output.Warn($"OnExceptionCheckpoint could not save {CkptPath}: {saveFailure.Message}");
        }
    }

    /// <inheritdoc />
    public override void Teardown(Trainer trainer, LightningModule module, Stage stage)
    {
        if (trainer.IsGlobalZero && trainer.State.Status != TrainerStatus.Interrupted && File.Exists(CkptPath)) File.Delete(CkptPath);
    }
}
