using Lightning.Checkpointing;
using Lightning.IO;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Lightning;

/// <summary>
/// Exchanges weights with PyTorch: a module's <c>state_dict</c> saved as a <c>torch.save</c> file (<c>.pt</c>,
/// <c>.pth</c>, <c>.ckpt</c>, ...) or a <c>.safetensors</c> file, and loaded from files written by PyTorch,
/// including a PyTorch Lightning checkpoint's <c>state_dict</c>.
/// </summary>
public static class StateDictFiles
{
    /// <summary>
    /// Saves the module's parameters and buffers under their state-dict names, atomically. A path ending in
    /// <c>.safetensors</c> gets the safetensors format; any other a <c>torch.save</c> zip that Python reads with
    /// <c>module.load_state_dict(torch.load(path))</c>.
    /// </summary>
    public static void SaveStateDict(this nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var scope = torch.NewDisposeScope();
        var state = module.state_dict().ToDictionary(e => e.Key, e => (Tensor)PickleValues.ToPickle(e.Value, e.Key)!, StringComparer.Ordinal);
        if (IsSafetensors(path)) AtomicFile.Write(path, stream => Safetensors.SaveStateDict(stream, state, leaveOpen: true));
        else TorchSaveFile.Write(path, state);
    }

    /// <summary>
    /// Loads weights saved by PyTorch (<c>torch.save(model.state_dict(), path)</c>), by PyTorch Lightning (the
    /// <c>"state_dict"</c> of a <c>.ckpt</c>), by <see cref="SaveStateDict"/> or by a Lightning for .NET checkpoint.
    /// Every key is checked before any weight changes.
    /// </summary>
    /// <param name="module">The module to load into.</param>
    /// <param name="path">The file; <c>.safetensors</c> files are read as such.</param>
    /// <param name="strict">
    /// Whether every key must match; default the module's <c>StrictLoading</c> (true for other modules). When
    /// false, the matching keys are loaded and the report lists the others. Wrong shapes are always an error.
    /// </param>
    /// <param name="prefix">
    /// A prefix to remove from the file's keys (for example <c>"model."</c>); by default one shared leading name is
    /// removed when no key matches without it.
    /// </param>
    /// <returns>What matched, what was missing and what was unexpected.</returns>
    /// <exception cref="CheckpointException">The file cannot be read, or its weights do not fit the module.</exception>
    public static StateDictReport LoadStateDict(this nn.Module module, string path, bool? strict = null, string? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var scope = torch.NewDisposeScope();
        var state = Read(path);
        return StateDictLoader.Load(module, state, strict ?? (module as LightningModule)?.StrictLoading ?? true, path, prefix);
    }

    /// <summary>The tensors of a state-dict file or of a checkpoint's <c>"state_dict"</c>; create it inside a dispose scope.</summary>
    internal static Dictionary<string, Tensor> Read(string path)
    {
        if (IsSafetensors(path))
        {
            using var stream = TorchSaveFile.OpenRead(path, "safetensors file");
            try
            {
                return Safetensors.LoadStateDict(stream);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new CheckpointException(path, $"'{path}' is not a readable safetensors file ({CheckpointException.Quote(e)}).", e);
            }
        }
        var content = TorchSaveFile.Read(path, "state_dict file");
        // A checkpoint of a newer format may keep its weights differently: refused here as everywhere else.
        if (CheckpointFile.IsOurs(content)) CheckpointFile.CheckVersion(content, path);
        return Tensors(content.TryGetValue(CheckpointKeys.StateDict, out var inner) && inner is Dictionary<string, object?> nested ? nested : content, path);
    }

    /// <summary>The entries of a state dict as tensors; any other value means the file is not a state dict.</summary>
    internal static Dictionary<string, Tensor> Tensors(Dictionary<string, object?> entries, string path)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            result[key] = value as Tensor ?? throw new CheckpointException(path,
                $"'{path}' is not a state dict: its entry '{key}' holds a {value?.GetType().Name ?? "None"}, not a tensor. " +
                $"Save one in Python with torch.save(model.state_dict(), path). Its keys: {string.Join(", ", entries.Keys.Take(10))}.");
        }
        return result;
    }

    private static bool IsSafetensors(string path) => path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);
}
