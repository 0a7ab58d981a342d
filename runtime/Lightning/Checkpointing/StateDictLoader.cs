using TorchSharp;
using static TorchSharp.torch;

namespace Lightning.Checkpointing;

/// <summary>
/// Matches a state dict from a file against a module and copies it in: every key is checked before any weight
/// changes, so a file that does not fit leaves the module as it was.
/// </summary>
internal static class StateDictLoader
{
    /// <summary>
    /// Checks <paramref name="source"/> against <paramref name="module"/> and, when it fits, copies it into the
    /// module's parameters and buffers. With <paramref name="strict"/>, any missing or unexpected key is an
    /// error; a wrong shape always is.
    /// </summary>
    /// <param name="module">The module to load into.</param>
    /// <param name="source">The file's state dict.</param>
    /// <param name="strict">Whether every key must match.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="prefix">
    /// A prefix to remove from the file's keys; null finds a common one (such as <c>"model."</c>) when no key
    /// matches as is; empty removes none.
    /// </param>
    /// <exception cref="CheckpointException">The state dict does not fit; the message lists the keys.</exception>
    public static StateDictReport Load(nn.Module module, IReadOnlyDictionary<string, Tensor> source, bool strict, string? path, string? prefix)
    {
        var report = Match(module, source, prefix, out var matched);
        Check(module, report, strict, path);
        Apply(module, matched);
        return report;
    }

    /// <summary>Compares without changing anything; <paramref name="matched"/> maps the module's keys to the file's tensors.</summary>
    public static StateDictReport Match(nn.Module module, IReadOnlyDictionary<string, Tensor> source, string? prefix,
        out Dictionary<string, Tensor> matched)
    {
        var target = module.state_dict();
        prefix ??= CommonPrefix(target.Keys, source.Keys);
        if (prefix?.Length == 0) prefix = null;
        var renamed = new Dictionary<string, (string FileKey, Tensor Tensor)>(StringComparer.Ordinal);
        var unexpected = new List<string>();
        foreach (var (key, tensor) in source)
        {
            if (prefix is not null && !key.StartsWith(prefix, StringComparison.Ordinal)) unexpected.Add(key);
            else renamed[prefix is null ? key : key[prefix.Length..]] = (key, tensor);
        }

        matched = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var missing = new List<string>();
        var mismatched = new List<StateDictMismatch>();
        foreach (var (key, tensor) in target)
        {
            if (!renamed.TryGetValue(key, out var found)) missing.Add(key);
            else if (!found.Tensor.shape.SequenceEqual(tensor.shape)) mismatched.Add(new StateDictMismatch(key, tensor.shape, found.Tensor.shape));
            else matched[key] = found.Tensor;
        }
        unexpected.AddRange(renamed.Where(r => !target.ContainsKey(r.Key)).Select(r => r.Value.FileKey));
        return new StateDictReport(matched.Keys.ToList(), missing, unexpected, mismatched, prefix);
    }

    /// <summary>Throws when the report does not allow loading.</summary>
    public static void Check(nn.Module module, StateDictReport report, bool strict, string? path)
    {
        if (report.MismatchedKeys.Count == 0 && (!strict || report.IsExactMatch)) return;
        var from = path is null ? "The state dict" : $"The weights in '{path}'";
        var fix = report.MismatchedKeys.Count > 0
            ? "Build the module with the same layer sizes as the one that was saved (its hyperparameters), or use a matching file."
            : "Use a checkpoint of this module, or load with strict: false (StrictLoading = false) to load the keys that match.";
        throw new CheckpointException(path, $"{from} do not fit {module.GetType().Name}. {report} {fix}");
    }

    /// <summary>Copies the matched tensors into the module's own tensors (converting the dtype where it differs).</summary>
    public static void Apply(nn.Module module, IReadOnlyDictionary<string, Tensor> matched)
    {
        var target = module.state_dict();
        using var noGrad = torch.no_grad();
        foreach (var (key, tensor) in matched) target[key].copy_(tensor);
    }

    /// <summary>
    /// The prefix (one leading name and its dot) shared by all of <paramref name="fileKeys"/> whose removal makes
    /// keys match, when none matches as is; a PyTorch Lightning module that keeps its network in <c>self.model</c>
    /// saves <c>model.layer.weight</c> for the network's <c>layer.weight</c>.
    /// </summary>
    private static string? CommonPrefix(IEnumerable<string> moduleKeys, IEnumerable<string> fileKeys)
    {
        var module = moduleKeys.ToHashSet(StringComparer.Ordinal);
        var file = fileKeys.ToList();
        if (file.Count == 0 || file.Any(module.Contains)) return null;
        var dot = file[0].IndexOf('.', StringComparison.Ordinal);
        if (dot < 0) return null;
        var prefix = file[0][..(dot + 1)];
        return file.All(k => k.StartsWith(prefix, StringComparison.Ordinal)) && file.Any(k => module.Contains(k[prefix.Length..])) ? prefix : null;
    }
}
