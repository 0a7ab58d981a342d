using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Lightning.Tool.CodeEditing;

/// <summary>
/// Adds members at the end of a class declaration as one text insertion, so every other byte of the file stays
/// as it was. The members land after the last member and after any <c>#endregion</c> before the closing brace
/// (outside the user's regions), indented like the class's members, one blank line apart.
/// </summary>
internal static class MemberInserter
{
    /// <summary>The change that appends <paramref name="members"/> (template text, four-space indented, LF) to <paramref name="part"/>.</summary>
    public static TextChange Append(ClassPart part, IReadOnlyList<string> members)
    {
        var text = part.Document.File.Text;
        var layout = CodeLayout.Of(part.Document.File);
        var declaration = part.Declaration;
        var classIndent = IndentOfLine(text, declaration.Keyword.SpanStart);
        var memberIndent = declaration.Members.Count > 0
            ? IndentOfLine(text, declaration.Members[0].SpanStart)
            : classIndent + layout.IndentUnit;
        var body = string.Join(layout.LineEnding, members.Select(m => layout.Apply(m, memberIndent)));

        if (declaration.OpenBraceToken.IsMissing || declaration.CloseBraceToken.IsMissing)
            throw new ToolException($"{part.Document.Path}: the class {declaration.Identifier.ValueText} has no body in braces to add members to.");
        var close = declaration.CloseBraceToken.SpanStart;
        var lineStart = text.LastIndexOf('\n', Math.Max(0, close - 1)) + 1;
        if (text.AsSpan(lineStart, close - lineStart).Trim().Length > 0 || lineStart <= declaration.OpenBraceToken.SpanStart)
        {
            // The closing brace shares its line with code (a one-line class): break the line around the new members.
            var separator = declaration.Members.Count > 0 ? layout.LineEnding : string.Empty;
            return new TextChange(new TextSpan(close, 0), layout.LineEnding + separator + body + classIndent);
        }
        var previousLine = PreviousLine(text, lineStart);
        var needsBlank = previousLine.Trim().Length > 0 && previousLine.Trim() != "{";
        return new TextChange(new TextSpan(lineStart, 0), (needsBlank ? layout.LineEnding : string.Empty) + body);
    }

    /// <summary>The whitespace that starts the line holding <paramref name="position"/>.</summary>
    public static string IndentOfLine(string text, int position)
    {
        var start = text.LastIndexOf('\n', Math.Max(0, position - 1)) + 1;
        var end = start;
        while (end < text.Length && (text[end] == ' ' || text[end] == '\t')) end++;
        return text[start..end];
    }

    private static string PreviousLine(string text, int lineStart)
    {
        if (lineStart == 0) return string.Empty;
        var end = lineStart - 1;
        var start = text.LastIndexOf('\n', Math.Max(0, end - 1)) + 1;
        return text[start..end].TrimEnd('\r');
    }
}
