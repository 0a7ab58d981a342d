using Lightning.IO;

namespace Lightning.Cli;

/// <summary>
/// Saves the run's resolved configuration as <c>config.yaml</c> in its log folder when the run sets up (Lightning's
/// <c>SaveConfigCallback</c>), so that <c>--config</c> repeats the run. A resumed run in the same folder replaces it.
/// It is written then, after <c>--tune</c>, so it holds the values the searches found (<see cref="CliTuning"/>) and asks for no search they settled.
/// </summary>
internal sealed class SaveConfigCallback(CliConfiguration configuration, string command) : Callback
{
    /// <summary>The file name in the log folder.</summary>
    public const string FileName = "config.yaml";

    private bool _saved;

    /// <inheritdoc />
    public override void Setup(Trainer trainer, LightningModule module, Stage stage)
    {
        // FastDevRun writes nothing, and one process of a data-parallel job writes the file, as in Lightning.
        if (_saved || trainer.FastDev || !trainer.IsGlobalZero) return;
        var yaml = new StringWriter();
        configuration.WriteYaml(yaml, command);
        AtomicFile.WriteAllText(Path.Combine(trainer.LogDir, FileName), yaml.ToString());
        _saved = true;
    }
}
