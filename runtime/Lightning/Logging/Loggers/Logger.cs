namespace Lightning;

/// <summary>
/// Where metrics and hyperparameters go (Lightning's <c>Logger</c>). The trainer calls
/// <see cref="LogMetrics"/> with <c>step = GlobalStep</c>.
/// </summary>
public abstract class Logger
{
    /// <summary>The experiment's name, the folder under <see cref="RootDir"/>.</summary>
    public abstract string Name { get; }

    /// <summary>The run's version (<c>version_N</c> folders count up).</summary>
    public abstract string Version { get; }

    /// <summary>The folder holding all versions of the experiment; null when the logger writes no files.</summary>
    public abstract string? RootDir { get; }

    /// <summary>This run's folder (<c>RootDir/Name/version_N</c>); checkpoints go below it by default.</summary>
    public virtual string? LogDir => RootDir is null ? null : Path.Combine(RootDir, Name, Version);

    /// <summary>Records hyperparameters.</summary>
    public abstract void LogHyperparams(IReadOnlyDictionary<string, object?> hyperparameters);

    /// <summary>Records metric values at a step.</summary>
    public abstract void LogMetrics(IReadOnlyDictionary<string, double> metrics, long step);

    /// <summary>Writes out anything buffered.</summary>
    public virtual void Save() { }

    /// <summary>Called once when the run ends (Lightning's <c>finalize</c>), with <c>"success"</c>, <c>"failed"</c> or <c>"interrupted"</c>.</summary>
    public virtual void Finish(string status) => Save();
}
