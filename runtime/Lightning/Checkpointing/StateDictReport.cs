using System.Text;

namespace Lightning;

/// <summary>
/// How a state dict matched a module (PyTorch's <c>load_state_dict</c> result, with shapes): the keys the module
/// has and the file lacks, the keys the file has and the module lacks, and the keys whose shapes differ.
/// </summary>
public sealed class StateDictReport
{
    internal StateDictReport(IReadOnlyList<string> loaded, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
        IReadOnlyList<StateDictMismatch> mismatched, string? strippedPrefix)
    {
        LoadedKeys = loaded;
        MissingKeys = missing;
        UnexpectedKeys = unexpected;
        MismatchedKeys = mismatched;
        StrippedPrefix = strippedPrefix;
    }

    /// <summary>The module's keys that were (or would be) loaded from the file.</summary>
    public IReadOnlyList<string> LoadedKeys { get; }

    /// <summary>Keys the module has and the file does not.</summary>
    public IReadOnlyList<string> MissingKeys { get; }

    /// <summary>Keys the file has and the module does not (as the file names them).</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; }

    /// <summary>Keys present in both with different shapes.</summary>
    public IReadOnlyList<StateDictMismatch> MismatchedKeys { get; }

    /// <summary>The prefix removed from the file's keys (such as <c>"model."</c>), or null.</summary>
    public string? StrippedPrefix { get; }

    /// <summary>Whether every key matched in name and shape.</summary>
    public bool IsExactMatch => MissingKeys.Count == 0 && UnexpectedKeys.Count == 0 && MismatchedKeys.Count == 0;

    /// <inheritdoc />
    public override string ToString()
    {
        if (IsExactMatch)
            return $"All {LoadedKeys.Count} keys matched{(StrippedPrefix is null ? "" : $" after removing the prefix '{StrippedPrefix}'")}.";
        var text = new StringBuilder();
        if (MissingKeys.Count > 0) text.Append($"Missing keys (in the module, not in the file): {string.Join(", ", MissingKeys)}. ");
        if (UnexpectedKeys.Count > 0) text.Append($"Unexpected keys (in the file, not in the module): {string.Join(", ", UnexpectedKeys)}. ");
        if (MismatchedKeys.Count > 0) text.Append($"Wrong shapes: {string.Join("; ", MismatchedKeys)}. ");
        if (StrippedPrefix is not null) text.Append($"(The prefix '{StrippedPrefix}' was removed from the file's keys.)");
        return text.ToString().TrimEnd();
    }
}
