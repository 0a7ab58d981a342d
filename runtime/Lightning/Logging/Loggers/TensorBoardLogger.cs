using TorchSharp;
using TorchSharp.Modules;

namespace Lightning;

/// <summary>
/// Writes metrics as TensorBoard event files (<c>events.out.tfevents.*</c>, through TorchSharp's
/// <c>SummaryWriter</c>) and hyperparameters to <c>hparams.yaml</c>, in <c>saveDir/name/version_N</c> as
/// Lightning's <c>TensorBoardLogger</c> does. View them with <c>tensorboard --logdir saveDir</c>.
/// </summary>
public sealed class TensorBoardLogger : FileLogger
{
    private SummaryWriter? _writer;

    /// <summary>Creates a logger writing under <c><paramref name="saveDir"/>/<paramref name="name"/>/version_N</c>.</summary>
    /// <param name="saveDir">The root folder.</param>
    /// <param name="name">The experiment name; default <c>lightning_logs</c>.</param>
    /// <param name="version">The version number; default the next free one.</param>
    public TensorBoardLogger(string saveDir, string name = "lightning_logs", int? version = null)
        : base(saveDir, name, version)
    {
    }

    private SummaryWriter Writer => _writer ??= torch.utils.tensorboard.SummaryWriter(LogDir, createRunName: false);

    /// <summary>Writes <c>hparams.yaml</c> and the hyperparameters as TensorBoard text entries.</summary>
    public override void LogHyperparams(IReadOnlyDictionary<string, object?> hyperparameters)
    {
        base.LogHyperparams(hyperparameters);
        foreach (var (key, value) in hyperparameters) Writer.add_text("hparams/" + key, Yaml.Scalar(value), 0);
    }

    /// <inheritdoc />
    public override void LogMetrics(IReadOnlyDictionary<string, double> metrics, long step)
    {
        // TensorBoard plots each metric against the step, so the epoch is a metric of its own there, as in Lightning.
        foreach (var (name, value) in metrics) Writer.add_scalar(name, (float)value, checked((int)step));
    }
}
