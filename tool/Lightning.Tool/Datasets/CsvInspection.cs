using System.Globalization;
using nietras.SeparatedValues;

namespace Lightning.Tool.Datasets;

/// <summary>
/// Reads the CSV file <c>add-dataset csv</c> is given, as the generated data module will (Sep, RFC 4180 quoting,
/// the same header detection and missing-value words), to refuse a label or feature column the file does not
/// have and to say what the file holds before any code is written.
/// </summary>
internal static class CsvInspection
{
    private static readonly string[] MissingWords = ["", "NA", "N/A", "NaN", "null", "?"];

    /// <summary>One line on the file's rows, columns and classes; a usage error when the options do not fit it.</summary>
    public static string Read(string fullPath, string shownPath, char delimiter, bool? hasHeader, string? label, string[]? features, string missing)
    {
        var rows = new List<(int Line, string[] Cells)>();
        try
        {
            using var reader = Sep.Reader(o => o with { Sep = new Sep(delimiter), HasHeader = false, Unescape = true, DisableColCountCheck = true }).FromFile(fullPath);
            foreach (var row in reader)
            {
                var cells = new string[row.ColCount];
                for (var i = 0; i < cells.Length; i++) cells[i] = row[i].ToString().Trim();
                if (cells is not [""]) rows.Add((row.RowIndex + 1, cells));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"Cannot read {shownPath}: {e.Message}");
        }
        if (rows.Count == 0) throw ToolException.Usage($"{shownPath} has no rows; point --path at the CSV file to train on.");
        var header = hasHeader ?? rows[0].Cells.Any(cell => !IsMissing(cell) && !IsNumber(cell));
        var names = header ? rows[0].Cells : [.. Enumerable.Range(0, rows[0].Cells.Length).Select(i => $"column{i}")];
        if (header) rows.RemoveAt(0);

        var labelColumn = label is null ? names.Length - 1 : Column(names, label, "--label", shownPath);
        var featureColumns = features?.Select(f => Column(names, f, "--features", shownPath)).ToArray()
            ?? [.. Enumerable.Range(0, names.Length).Where(i => i != labelColumn)];
        var shownDelimiter = delimiter == '\t' ? "tab" : delimiter.ToString();
        if (featureColumns.Length == 0)
            throw ToolException.Usage($"{shownPath} leaves no feature column: it splits into {names.Length} column{(names.Length == 1 ? "" : "s")} ({Shorten(names)}), all taken by the label. Is --delimiter '{shownDelimiter}' right?");
        if (featureColumns.Contains(labelColumn))
            throw ToolException.Usage($"--features names the label column {names[labelColumn]} of {shownPath}; leave it out, or choose another --label.");
        if (rows.FirstOrDefault(r => r.Cells.Length != names.Length) is { Cells: not null } ragged)
            throw ToolException.Usage($"{shownPath}, row {ragged.Line}: {ragged.Cells.Length} cells, but there are {names.Length} columns. Is --delimiter '{shownDelimiter}' right?");

        var text = rows.SelectMany(r => featureColumns.Select(c => (r.Line, Column: c, Cell: r.Cells[c]))).FirstOrDefault(x => !IsMissing(x.Cell) && !IsNumber(x.Cell));
        if (text.Cell is not null)
            throw ToolException.Usage($"{shownPath}, row {text.Line}, column {names[text.Column]}: '{text.Cell}' is not a number, and features must be." +
                (header ? " Leave that column out with --features." : " If the first row names the columns, pass --header yes."));
        var used = featureColumns.Prepend(labelColumn).ToArray();
        var incomplete = rows.Count(r => used.Any(c => IsMissing(r.Cells[c])));
        if (incomplete > 0 && missing == "error")
            throw ToolException.Usage($"{shownPath} has {incomplete} rows with a missing value (empty, NA, N/A, NaN, null or ?) in the columns used; pass --missing skip to drop them or --missing mean to fill features with the training mean.");
        var labels = rows.Select(r => r.Cells[labelColumn]).Where(l => !IsMissing(l)).ToList();
        var missingNote = incomplete == 0 ? string.Empty : $", {incomplete} with missing values ({(missing == "skip" ? "skipped" : "features filled with the mean, rows without a label skipped")})";
        return $"Read {shownPath}: {rows.Count} rows{missingNote}, {names.Length} columns; {featureColumns.Length} features ({Shorten(featureColumns.Select(i => names[i]))}); label {names[labelColumn]}: {Classes(labels)}.";
    }

    private static string Classes(List<string> labels)
    {
        if (labels.Count > 0 && labels.All(l => long.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
            return $"{labels.Select(l => long.Parse(l, CultureInfo.InvariantCulture)).Max() + 1} classes (integer labels)";
        if (labels.Count > 0 && labels.All(IsNumber)) return "numbers, so the model regresses them";
        var classes = labels.Distinct().Order(StringComparer.Ordinal).ToList();
        return $"{classes.Count} classes ({Shorten(classes)})";
    }

    private static string Shorten(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 6 ? string.Join(", ", list) : string.Join(", ", list.Take(5)) + $", ... ({list.Count - 5} more)";
    }

    private static int Column(string[] names, string column, string option, string shownPath)
    {
        var byName = Array.IndexOf(names, column);
        if (byName >= 0) return byName;
        if (int.TryParse(column, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < names.Length) return index;
        throw ToolException.Usage($"{option}: {shownPath} has no column '{column}'. Its columns: {Shorten(names)} (or an index from 0 to {names.Length - 1}).");
    }

    private static bool IsMissing(string cell) => MissingWords.Contains(cell, StringComparer.OrdinalIgnoreCase);

    private static bool IsNumber(string cell) => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
