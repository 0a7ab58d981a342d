using System.Text;

namespace Lightning.Tool.CodeEditing;

/// <summary>
/// How a file lays out code: the indentation unit (a tab, or some number of spaces) and its line ending.
/// Templates are written with four spaces per level and <c>\n</c>; <see cref="Apply"/> moves them into the file's style.
/// </summary>
internal sealed record CodeLayout(string IndentUnit, string LineEnding)
{
    private const int TemplateIndent = 4;

    /// <summary>The layout of <paramref name="file"/>: tabs when lines are indented with tabs, else the smallest indentation used.</summary>
    public static CodeLayout Of(TextFile file)
    {
        var counts = new SortedDictionary<int, int>();
        var tabs = 0;
        foreach (var line in file.Text.Split('\n'))
        {
            if (line.StartsWith('\t')) { tabs++; continue; }
            var spaces = line.Length - line.TrimStart(' ').Length;
            // Lines continuing a /* */ or /// block often sit one space in; they say nothing about the unit.
            if (spaces == 0 || spaces == line.Length || line.TrimStart().StartsWith('*')) continue;
            counts[spaces] = counts.GetValueOrDefault(spaces) + 1;
        }
        var unit = tabs > counts.Values.Sum() ? "\t" : new string(' ', counts.Keys.FirstOrDefault(k => k >= 2, TemplateIndent));
        return new CodeLayout(unit, file.LineEnding);
    }

    /// <summary>
    /// Re-indents template text (four spaces per level, <c>\n</c> line endings) to start at
    /// <paramref name="baseIndent"/> with this layout's unit, and converts its line endings.
    /// Blank lines get no indentation, so no trailing whitespace is introduced.
    /// </summary>
    public string Apply(string templateText, string baseIndent)
    {
        var text = new StringBuilder();
        var lines = templateText.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        foreach (var line in lines)
        {
            if (line.Trim().Length > 0)
            {
                var spaces = line.Length - line.TrimStart(' ').Length;
                text.Append(baseIndent);
                for (var i = 0; i < spaces / TemplateIndent; i++) text.Append(IndentUnit);
                text.Append(' ', spaces % TemplateIndent).Append(line.AsSpan(spaces));
            }
            text.Append(LineEnding);
        }
        return text.ToString();
    }
}
