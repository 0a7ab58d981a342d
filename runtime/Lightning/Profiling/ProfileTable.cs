using System.Text;

namespace Lightning;

/// <summary>The profilers' report layout: Lightning's boxed table under a <c>"FIT Profiler Report"</c> title, a Total row first.</summary>
internal static class ProfileTable
{
    public static string Render(string stage, IReadOnlyList<string> header, IReadOnlyList<string> total, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { header, total };
        all.AddRange(rows);
        var widths = header.Select((_, c) => all.Max(r => r[c].Length)).ToArray();
        var rule = new string('-', widths.Sum(w => w + 5) + 1);
        var text = new StringBuilder().AppendLine($"{stage.ToUpperInvariant()} Profiler Report").AppendLine().AppendLine(rule);
        for (var i = 0; i < all.Count; i++)
        {
            text.Append('|');
            for (var c = 0; c < widths.Length; c++) text.Append("  ").Append(all[i][c].PadRight(widths[c])).Append("  |");
            text.AppendLine();
            if (i < 2) text.AppendLine(rule);
        }
        return text.Append(rule).AppendLine().ToString();
    }

    /// <summary>Seconds as the tables show them.</summary>
    public static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture);

    public static string Percent(TimeSpan part, TimeSpan whole) =>
        (whole > TimeSpan.Zero ? 100 * part / whole : 0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " %";
}
