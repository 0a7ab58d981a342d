using Lightning.Text;

namespace Lightning.Tool.Hooks;

/// <summary>Suggests the known names closest to a mistyped one, by edit distance between normalised spellings.</summary>
internal static class NameSuggester
{
    /// <summary>Up to <paramref name="count"/> names of <paramref name="known"/> close to <paramref name="typed"/>, nearest first.</summary>
    public static IReadOnlyList<string> Nearest(string typed, IEnumerable<string> known, int count = 3)
    {
        var key = Spelling.Key(typed);
        return [.. known
            .Select(name => (Name: name, Distance: Spelling.Distance(key, Spelling.Key(name)), Contains: Spelling.Key(name).Contains(key, StringComparison.Ordinal)))
            .Where(c => c.Distance <= Math.Max(2, key.Length / 3) || (key.Length >= 4 && c.Contains))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(count)
            .Select(c => c.Name)];
    }
}
