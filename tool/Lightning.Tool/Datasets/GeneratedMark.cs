namespace Lightning.Tool.Datasets;

/// <summary>
/// The first line of every data module file <c>add-dataset</c> writes. <c>--force</c> replaces only a file that
/// starts with it, so a user's own class (or <c>Program.cs</c>) is never overwritten. It avoids the word
/// "auto-generated", which would make the compiler treat the file as generated code and turn nullable checks off.
/// </summary>
internal static class GeneratedMark
{
    private const string Text = "// Written by `dotnet lightning add-dataset";

    /// <summary>The line for a file of kind <paramref name="kind"/>, with its line ending.</summary>
    public static string Line(string kind) => $"{Text} {kind}`. Edit it freely; `--force` may replace it while this line stays.\n";

    /// <summary>Whether <paramref name="fileText"/> starts with the mark (after a byte-order mark or blank lines).</summary>
    public static bool IsOn(string fileText) => fileText.TrimStart('\uFEFF', '\r', '\n', ' ', '\t').StartsWith(Text, StringComparison.Ordinal);
}
