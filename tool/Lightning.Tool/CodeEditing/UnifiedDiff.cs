using System.Text;

namespace Lightning.Tool.CodeEditing;

/// <summary>Unified diffs (as <c>diff -u</c> and <c>git diff</c> print them) for <c>--dry-run</c>.</summary>
internal static class UnifiedDiff
{
    private const int Context = 3;

    /// <summary>The diff from <paramref name="before"/> (<see langword="null"/> for a new file) to <paramref name="after"/>.</summary>
    public static string Create(string displayPath, string? before, string after)
    {
        var a = SplitLines(before);
        var b = SplitLines(after);
        var ops = Compare(a, b);
        var text = new StringBuilder();
        text.Append("--- ").Append(before is null ? "/dev/null" : "a/" + displayPath).Append('\n');
        text.Append("+++ b/").Append(displayPath).Append('\n');
        foreach (var (start, end) in Hunks(ops))
        {
            int aStart = 0, bStart = 0;
            for (var i = 0; i < start; i++)
            {
                if (ops[i].Kind != '+') aStart++;
                if (ops[i].Kind != '-') bStart++;
            }
            var aCount = ops[start..end].Count(o => o.Kind != '+');
            var bCount = ops[start..end].Count(o => o.Kind != '-');
            text.Append($"@@ -{(aCount == 0 ? aStart : aStart + 1)},{aCount} +{(bCount == 0 ? bStart : bStart + 1)},{bCount} @@\n");
            foreach (var op in ops[start..end]) text.Append(op.Kind).Append(op.Line).Append('\n');
        }
        return text.ToString();
    }

    private static string[] SplitLines(string? text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        var lines = text.Split('\n');
        if (lines[^1].Length == 0) lines = lines[..^1];
        return [.. lines.Select(l => l.TrimEnd('\r'))];
    }

    // Longest common subsequence over the lines between the common prefix and suffix; the tool's edits are
    // small insertions, so the middle part stays small.
    private static List<(char Kind, string Line)> Compare(string[] a, string[] b)
    {
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)]) suffix++;
        var midA = a[prefix..(a.Length - suffix)];
        var midB = b[prefix..(b.Length - suffix)];
        var lcs = new int[midA.Length + 1, midB.Length + 1];
        for (var i = midA.Length - 1; i >= 0; i--)
            for (var j = midB.Length - 1; j >= 0; j--)
                lcs[i, j] = midA[i] == midB[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var ops = new List<(char, string)>(a.Length + b.Length);
        ops.AddRange(a[..prefix].Select(l => (' ', l)));
        int x = 0, y = 0;
        while (x < midA.Length || y < midB.Length)
        {
            if (x < midA.Length && y < midB.Length && midA[x] == midB[y]) { ops.Add((' ', midA[x])); x++; y++; }
            // On ties, removed lines come before added ones, as diff and git print a replacement.
            else if (x < midA.Length && (y == midB.Length || lcs[x + 1, y] >= lcs[x, y + 1])) ops.Add(('-', midA[x++]));
            else ops.Add(('+', midB[y++]));
        }
        ops.AddRange(a[(a.Length - suffix)..].Select(l => (' ', l)));
        return ops;
    }

    private static IEnumerable<(int Start, int End)> Hunks(List<(char Kind, string Line)> ops)
    {
        var i = 0;
        while (i < ops.Count)
        {
            if (ops[i].Kind == ' ') { i++; continue; }
            var start = Math.Max(0, i - Context);
            var end = i;
            // Extend while the next change is within two contexts, so nearby changes share a hunk.
            while (true)
            {
                while (end < ops.Count && ops[end].Kind != ' ') end++;
                var next = end;
                while (next < ops.Count && ops[next].Kind == ' ') next++;
                if (next < ops.Count && next - end <= 2 * Context) end = next;
                else break;
            }
            var stop = Math.Min(ops.Count, end + Context);
            yield return (start, stop);
            i = stop;
        }
    }
}
