using System.Globalization;
using System.Text;
using Lightning.IO;

namespace Lightning;

/// <summary>
/// A logger writing files in Lightning's layout, <c>saveDir/name/version_N</c>, with the hyperparameters in
/// <c>hparams.yaml</c>; <c>version_N</c> is the next free number unless given.
/// </summary>
public abstract class FileLogger : Logger
{
    private int? _version;

    /// <summary>Sets the layout's parts.</summary>
    /// <param name="saveDir">The root folder.</param>
    /// <param name="name">The experiment name.</param>
    /// <param name="version">The version number; default the next free one, chosen when first needed.</param>
    protected FileLogger(string saveDir, string name, int? version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(saveDir);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(version ?? 0, nameof(version));
        RootDir = saveDir;
        Name = name;
        _version = version;
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override string Version => $"version_{_version ??= NextVersion()}";

    /// <inheritdoc />
    public override string RootDir { get; }

    /// <inheritdoc />
    public override string LogDir => Path.Combine(RootDir, Name, Version);

    /// <summary>Writes <c>hparams.yaml</c> into <see cref="LogDir"/>.</summary>
    public override void LogHyperparams(IReadOnlyDictionary<string, object?> hyperparameters)
    {
        var yaml = new StringBuilder();
        foreach (var (key, value) in hyperparameters) yaml.Append(key).Append(": ").AppendLine(Yaml.Scalar(value));
        AtomicFile.WriteAllText(Path.Combine(LogDir, "hparams.yaml"), hyperparameters.Count == 0 ? "{}\n" : yaml.ToString());
    }

    private int NextVersion()
    {
        var folder = Path.Combine(RootDir, Name);
        if (!Directory.Exists(folder)) return 0;
        var used = Directory.GetDirectories(folder, "version_*")
            .Select(d => int.TryParse(Path.GetFileName(d)["version_".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1);
        return used.DefaultIfEmpty(-1).Max() + 1;
    }
}
