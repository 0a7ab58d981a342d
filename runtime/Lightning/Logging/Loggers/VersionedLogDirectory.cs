using System.Globalization;
using System.Text;
using Lightning.IO;

namespace Lightning;

/// <summary>The <c>saveDir/name/version_N</c> layout Lightning's file loggers share, and their <c>hparams.yaml</c>.</summary>
internal static class VersionedLogDirectory
{
    /// <summary>The next free version number under <c>saveDir/name</c>: one more than the highest <c>version_N</c>, else 0.</summary>
    public static int NextVersion(string saveDir, string name)
    {
        var folder = Path.Combine(saveDir, name);
        if (!Directory.Exists(folder)) return 0;
        var used = Directory.GetDirectories(folder, "version_*")
            .Select(d => int.TryParse(Path.GetFileName(d)["version_".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1);
        return used.DefaultIfEmpty(-1).Max() + 1;
    }

    /// <summary>Writes <c>hparams.yaml</c> into <paramref name="logDir"/>.</summary>
    public static void WriteHyperparameters(string logDir, IReadOnlyDictionary<string, object?> hyperparameters)
    {
        var yaml = new StringBuilder();
        foreach (var (key, value) in hyperparameters) yaml.Append(key).Append(": ").AppendLine(Yaml.Scalar(value));
        AtomicFile.WriteAllText(Path.Combine(logDir, "hparams.yaml"), hyperparameters.Count == 0 ? "{}\n" : yaml.ToString());
    }
}
