namespace Lightning.Text;

/// <summary>
/// Compares names the way people mistype them: one key for every spelling of a name, and the edit distance
/// between keys for "did you mean" suggestions. The runtime's command line and the tool's hook names both use it.
/// </summary>
internal static class Spelling
{
    /// <summary>
    /// The key under which the spellings of a name are equal: lower case, without <c>-</c>, <c>_</c> and white
    /// space, so <c>max-epochs</c>, <c>max_epochs</c>, <c>maxEpochs</c> and <c>MaxEpochs</c> share it.
    /// </summary>
    public static string Key(string name) =>
        new([.. name.Where(c => c is not ('-' or '_') && !char.IsWhiteSpace(c)).Select(char.ToLowerInvariant)]);

    /// <summary>The Levenshtein distance: insertions, deletions and substitutions to turn one string into the other.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
