using Lightning.Logging.TensorBoard;

namespace Lightning;

/// <summary>
/// Writes metrics as TensorBoard event files (<c>events.out.tfevents.*</c>) and hyperparameters to
/// <c>hparams.yaml</c> and to TensorBoard's HParams tab, in <c>saveDir/name/version_N</c> as Lightning's
/// <c>TensorBoardLogger</c> does. View them with <c>tensorboard --logdir saveDir</c>. Times are seconds since the
/// Unix epoch with their fraction; steps are 64-bit. Records reach the file every 10 records (TensorBoard's
/// <c>max_queue</c>), on each save (every checkpoint) and at the end of the run.
/// </summary>
public sealed class TensorBoardLogger : FileLogger
{
    private readonly bool _defaultHpMetric;
    private EventFileWriter? _writer;

    /// <summary>Creates a logger writing under <c><paramref name="saveDir"/>/<paramref name="name"/>/version_N</c>.</summary>
    /// <param name="saveDir">The root folder.</param>
    /// <param name="name">The experiment name; default <c>lightning_logs</c>.</param>
    /// <param name="version">The version number; default the next free one.</param>
    /// <param name="defaultHpMetric">
    /// Log <c>hp_metric = -1</c> with the hyperparameters, as Lightning does, so the HParams tab has a metric column;
    /// log your own <c>hp_metric</c> (say the best validation score) to fill it.
    /// </param>
    public TensorBoardLogger(string saveDir, string name = "lightning_logs", int? version = null, bool defaultHpMetric = true)
        : base(saveDir, name, version)
    {
        _defaultHpMetric = defaultHpMetric;
    }

    private EventFileWriter Writer => _writer ??= new EventFileWriter(LogDir);

    /// <summary>
    /// Writes <c>hparams.yaml</c> and the hparams plugin's summaries (with <c>hp_metric = -1</c> at step 0 unless
    /// the logger was created with <c>defaultHpMetric: false</c>), so runs compare in TensorBoard's HParams tab.
    /// </summary>
    public override void LogHyperparams(IReadOnlyDictionary<string, object?> hyperparameters)
    {
        base.LogHyperparams(hyperparameters);
        if (!_defaultHpMetric) return;
        var metrics = new Dictionary<string, double> { ["hp_metric"] = -1 };
        LogMetrics(metrics, 0);
        var now = EventFileWriter.UnixSeconds(DateTime.UtcNow);
        foreach (var record in TensorBoardEvents.HParams(now, hyperparameters, metrics.Keys)) Writer.Write(record);
    }

    /// <inheritdoc />
    public override void LogMetrics(IReadOnlyDictionary<string, double> metrics, long step) =>
        // TensorBoard plots each metric against the step, so the epoch is a metric of its own there, as in Lightning.
        Writer.Write(TensorBoardEvents.Scalars(EventFileWriter.UnixSeconds(DateTime.UtcNow), step, metrics));

    /// <inheritdoc />
    public override void Save() => _writer?.Flush();

    /// <summary>Closes the event file; a later run of the same trainer (a Test after a Fit) opens another in the same folder.</summary>
    public override void Finish(string status)
    {
        _writer?.Dispose();
        _writer = null;
    }
}
