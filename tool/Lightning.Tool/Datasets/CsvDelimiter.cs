using nietras.SeparatedValues;

namespace Lightning.Tool.Datasets;

/// <summary><c>--delimiter</c>: one character, or <c>tab</c>, that Sep (the CSV reader generated code uses) can split on.</summary>
internal static class CsvDelimiter
{
    /// <summary>The character <paramref name="text"/> names, or <see langword="null"/> when it names none Sep accepts.</summary>
    public static char? Parse(string? text)
    {
        var c = text switch { "tab" or "\\t" => '\t', { Length: 1 } => text[0], _ => (char?)null };
        if (c is null) return null;
        try
        {
            _ = new Sep(c.Value);
            return c;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Why <paramref name="text"/> cannot be the delimiter, or <see langword="null"/> when it can.</summary>
    public static string? Problem(string? text) => Parse(text) is null
        ? $"--delimiter '{text}' cannot separate cells: give one character (quoted in the shell, e.g. --delimiter ';'), or tab. " +
          "Sep, the CSV reader the generated code uses, takes printable ASCII characters and tab, except \" (it quotes cells) and #."
        : null;
}
