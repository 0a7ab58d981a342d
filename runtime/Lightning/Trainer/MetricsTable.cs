using System.Globalization;

namespace Lightning;

/// <summary>The table of metrics that <c>Validate</c> and <c>Test</c> print at the end, one column per loader, as Lightning prints it.</summary>
internal static class MetricsTable
{
    public static void Print(string stage, IReadOnlyList<IReadOnlyDictionary<string, double>> perLoader, TextWriter output)
    {
        var names = perLoader.SelectMany(d => d.Keys).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        if (names.Count == 0) return;
        var header = new[] { $"{stage} metric" }.Concat(perLoader.Select((_, i) => $"DataLoader {i}")).ToArray();
        var rows = names.Select(n => new[] { n }.Concat(perLoader.Select(d =>
            d.TryGetValue(n, out var v) ? v.ToString("G10", CultureInfo.InvariantCulture) : "")).ToArray()).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length)) + 4).ToArray();
        var rule = new string('─', widths.Sum() + widths.Length - 1);
        string Line(string[] cells) => string.Join(" ", cells.Select((c, i) => Center(c, widths[i]))).TrimEnd();
        output.WriteLine(rule);
        output.WriteLine(Line(header));
        output.WriteLine(rule);
        foreach (var row in rows) output.WriteLine(Line(row));
        output.WriteLine(rule);
    }

    private static string Center(string text, int width)
    {
        var left = (width - text.Length) / 2;
        return new string(' ', left) + text + new string(' ', width - text.Length - left);
    }
}
