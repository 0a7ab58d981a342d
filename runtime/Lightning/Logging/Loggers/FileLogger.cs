using System.Globalization;
using System.Text;
using Lightning.IO;

namespace Lightning;

/// <summary>
/// A logger writing files in Lightning's layout, <c>saveDir/name/version_N</c>, with the hyperparameters in
/// <c>hparams.yaml</c>; <c>version_N</c> is the next free number unless given. The folder is claimed by creating
/// it, so of two runs starting together in one folder each gets its own version. A fit resuming from a checkpoint
/// inside one of the experiment's version folders continues in that folder.
/// </summary>
public abstract class FileLogger : Logger
{
    private int? _version;
    private bool _continuesEarlierRun;

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
    public override string Version => $"version_{_version ??= ClaimVersion()}";

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

    /// <summary>
    /// When this logger continues the version folder of the run a fit resumed, the global step of the checkpoint
    /// it resumed from: what the killed run logged after it is logged again.
    /// </summary>
    protected long? ResumedFromStep { get; private set; }

    /// <summary>
    /// Continues the run that wrote <paramref name="checkpointPath"/>: when the file lies in one of this
    /// experiment's <c>version_N</c> folders and this logger has no version yet, it writes into that folder.
    /// </summary>
    internal void ContinueRunOf(string checkpointPath)
    {
        var experiment = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(RootDir, Name)));
        if (_version is not null || !PathRules.IsInside(checkpointPath, experiment)) return;
        var inside = Path.GetFullPath(checkpointPath)[(experiment.Length + 1)..].Split(Path.DirectorySeparatorChar);
        if (inside.Length < 2 || VersionOf(inside[0]) is not { } version) return;
        _version = version;
        _continuesEarlierRun = true;
    }

    /// <summary>Takes <paramref name="version"/> (<c>version_N</c>, claimed by another rank's logger) without claiming a folder.</summary>
    internal void UseVersion(string version) =>
        _version = VersionOf(version) ?? throw new ArgumentException($"'{version}' is not a version folder name (version_N).", nameof(version));

    /// <summary>Tells a logger continuing an earlier run's folder the step the fit resumed at.</summary>
    internal void ResumedAt(long globalStep)
    {
        if (_continuesEarlierRun) ResumedFromStep = globalStep;
    }

    // The next number after the highest existing one, taken by creating its folder; another run that took it first moves this one on.
    private int ClaimVersion()
    {
        var experiment = Path.Combine(RootDir, Name);
        Directory.CreateDirectory(experiment);
        var version = Directory.GetDirectories(experiment, "version_*").Select(d => VersionOf(Path.GetFileName(d)) ?? -1).DefaultIfEmpty(-1).Max() + 1;
        while (!Folders.TryCreateNew(Path.Combine(experiment, $"version_{version}"))) version++;
        return version;
    }

    private static int? VersionOf(string folderName) =>
        folderName.StartsWith("version_", StringComparison.Ordinal) &&
        int.TryParse(folderName["version_".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : null;
}
