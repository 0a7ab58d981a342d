using System.Globalization;
using System.Reflection;

namespace Lightning.Checkpointing;

/// <summary>
/// The checkpoint file: a <c>torch.save</c> zip holding one dictionary, so Python's <c>torch.load</c> opens it
/// and finds <c>"state_dict"</c>, <c>"epoch"</c> and <c>"global_step"</c> where PyTorch Lightning keeps them.
/// Reading accepts our checkpoints and PyTorch Lightning's (whose weights and hyperparameters can be used).
/// </summary>
internal static class CheckpointFile
{
    /// <summary>This build's version, as written into checkpoints.</summary>
    public static string RuntimeVersion { get; } =
        typeof(CheckpointFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    /// <summary>Writes <paramref name="checkpoint"/> atomically: an interrupted write leaves any previous file intact.</summary>
    /// <exception cref="ArgumentException">A value a checkpoint cannot hold; nothing was written.</exception>
    public static void Write(string path, IReadOnlyDictionary<string, object?> checkpoint) =>
        TorchSaveFile.Write(path, PickleValues.ToPickleDictionary(checkpoint.ToDictionary(e => e.Key, e => e.Value), ""));

    /// <summary>Reads a checkpoint of ours or of PyTorch Lightning; create it inside a dispose scope.</summary>
    /// <exception cref="CheckpointException">The file is missing, damaged, of another format or from a newer version.</exception>
    public static Dictionary<string, object?> Read(string path)
    {
        var checkpoint = TorchSaveFile.Read(path, "checkpoint");
        if (IsOurs(checkpoint))
        {
            CheckVersion(checkpoint, path);
            return checkpoint;
        }
        if (IsPyTorchLightning(checkpoint)) return checkpoint;
        throw new CheckpointException(path,
            $"'{path}' is a torch.save file but not a checkpoint (its keys: {string.Join(", ", checkpoint.Keys.Take(12))}). " +
            "Load a plain state_dict with module.LoadStateDict(path).");
    }

    /// <summary>Refuses a checkpoint of ours whose format is newer than this build reads.</summary>
    /// <exception cref="CheckpointException">The format is newer; the message asks for an update.</exception>
    public static void CheckVersion(IReadOnlyDictionary<string, object?> checkpoint, string path)
    {
        var version = Convert.ToInt64(checkpoint.GetValueOrDefault(CheckpointKeys.FormatVersion) ?? 0L, CultureInfo.InvariantCulture);
        if (version > CheckpointKeys.CurrentVersion)
            throw new CheckpointException(path,
                $"'{path}' was written by Lightning for .NET {checkpoint.GetValueOrDefault(CheckpointKeys.PackageVersion)} in checkpoint format {version}; " +
                $"this is version {RuntimeVersion}, which reads format {CheckpointKeys.CurrentVersion} and older. Update Lightning.Runtime to load it.");
    }

    /// <summary>Whether the checkpoint was written by Lightning for .NET.</summary>
    public static bool IsOurs(IReadOnlyDictionary<string, object?> checkpoint) => checkpoint.GetValueOrDefault(CheckpointKeys.Format) as string == CheckpointKeys.FormatName;

    /// <summary>Whether the checkpoint was written by PyTorch Lightning.</summary>
    public static bool IsPyTorchLightning(IReadOnlyDictionary<string, object?> checkpoint) =>
        !IsOurs(checkpoint) && checkpoint.ContainsKey(CheckpointKeys.PyTorchLightningVersion) && checkpoint.ContainsKey(CheckpointKeys.StateDict);

    /// <summary>An entry every checkpoint of ours has; a missing one means the file was damaged.</summary>
    public static T Required<T>(IReadOnlyDictionary<string, object?> checkpoint, string key, string path) =>
        checkpoint.TryGetValue(key, out var value) && value is T typed
            ? typed
            : throw new CheckpointException(path,
                $"'{path}' is damaged: its entry '{key}' is {(value is null ? "missing" : $"a {value.GetType().Name}")}. Use an earlier checkpoint.");
}
