namespace Lightning.Tool.Hooks;

/// <summary>Suggests the known names closest to a mistyped one, by edit distance between normalised spellings.</summary>
internal static class NameSuggester
{
    /// <summary>Up to <paramref name="count"/> names of <paramref name="known"/> close to <paramref name="typed"/>, nearest first.</summary>
    public static IReadOnlyList<string> Nearest(string typed, IEnumerable<string> known, int count = 3)
    {
        var key = HookNames.Normalise(typed);
        return [.. known
            .Select(name => (Name: name, Distance: Distance(key, HookNames.Normalise(name)), Contains: HookNames.Normalise(name).Contains(key, StringComparison.Ordinal)))
            .Where(c => c.Distance <= Math.Max(2, key.Length / 3) || (key.Length >= 4 && c.Contains))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(count)
            .Select(c => c.Name)];
    }

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
