using Lightning.Checkpointing;

namespace Lightning.Logging;

/// <summary>
/// The loggers' part of a run around the metrics the <see cref="LoggerConnector"/> routes (Lightning's
/// <c>configure_logger</c>, <c>_log_hyperparams</c> and the loggers' <c>finalize</c>): made once per trainer, the
/// version folder continued or shared, the hyperparameters written at the start and the loggers finished at the end.
/// </summary>
internal sealed class LoggerLifecycle
{
    private readonly Trainer _trainer;
    private readonly LoggerConnector _logging;
    private bool _ready;

    public LoggerLifecycle(Trainer trainer, LoggerConnector logging)
    {
        _trainer = trainer;
        _logging = logging;
    }

    /// <summary>Makes the loggers the options choose, on the first run only, so a Test after a Fit writes into the same version folder.</summary>
    public void SetUp()
    {
        if (_ready) return;
        _ready = true;
        _logging.WritesToLoggers = _trainer.IsGlobalZero;
        var selection = _trainer.Options.Logger;
        if (_trainer.FastDev)
            _logging.SetLoggers([]);
        else if (selection.UseDefault)
            _logging.SetLoggers([new CsvLogger(_trainer.DefaultRootDir)]);
        else
            _logging.SetLoggers(selection.Loggers);
    }

    /// <summary>
    /// A fit resuming from a checkpoint in one of the loggers' version folders continues there, so the checkpoint
    /// callbacks keep their ranking (same folder) and the metrics file goes on; called before the callbacks' Setup reads LogDir.
    /// </summary>
    public void ContinueRunOf(string? ckptPath)
    {
        var resumeFrom = ckptPath ?? (_trainer.ResumesFromLastByDefault ? "last" : null);
        if (resumeFrom is null || CheckpointPath.Resolve(_trainer, resumeFrom, "Fit", warnIfMissing: false) is not { } path) return;
        foreach (var logger in _logging.Loggers.OfType<FileLogger>()) logger.ContinueRunOf(path);
    }

    /// <summary>Rank 0 claims each file logger's version folder and the other ranks take its number without claiming one of their own.</summary>
    public void ShareVersions()
    {
        if (_trainer.WorldSize == 1) return;
        foreach (var logger in _logging.Loggers.OfType<FileLogger>())
        {
            var version = _trainer.Strategy.Broadcast(_trainer.IsGlobalZero ? logger.Version : "");
            if (!_trainer.IsGlobalZero) logger.UseVersion(version);
        }
    }

    /// <summary>Sends the module's hyperparameters, and the data module's it does not have, to every logger.</summary>
    public void LogHyperparameters(LightningModule model, LightningDataModule? dataModule)
    {
        if (_logging.Loggers.Count == 0 || !_logging.WritesToLoggers) return;
        var hparams = new Dictionary<string, object?>(model.HParams, StringComparer.Ordinal);
        if (dataModule is not null)
            foreach (var (key, value) in dataModule.HParams) hparams.TryAdd(key, value);
        foreach (var logger in _logging.Loggers) logger.LogHyperparams(hparams);
    }

    /// <summary>Ends every logger's run with <paramref name="status"/> (<c>"success"</c> or <c>"failed"</c>).</summary>
    public void Finish(string status)
    {
        if (!_logging.WritesToLoggers) return;
        foreach (var logger in _logging.Loggers) logger.Finish(status);
    }
}
