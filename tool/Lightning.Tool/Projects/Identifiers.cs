using Microsoft.CodeAnalysis.CSharp;

namespace Lightning.Tool.Projects;

/// <summary>Checks and makes C# identifiers.</summary>
internal static class Identifiers
{
    /// <summary>The longest class name the tool writes a file for: the name, <c>.cs</c> and a temporary file's suffix stay within 255 bytes.</summary>
    public const int MaxClassNameLength = 128;

    /// <summary>Whether <paramref name="name"/> can name a class: a valid identifier that is not a keyword.</summary>
    public static bool IsValid(string name) =>
        SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None && SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.None;

    /// <summary>
    /// Why <paramref name="name"/> cannot name a new class and its file, or <see langword="null"/> when it can:
    /// not an identifier, a keyword, too long for a file name, or holding invisible formatting characters
    /// (C# ignores a zero-width space in a name, so <c>Iris\u200B</c> would be a second, invisible spelling of <c>Iris</c>).
    /// </summary>
    public static string? ClassNameProblem(string name, string option)
    {
        if (name.Any(c => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format))
            return $"{option} '{name}' holds an invisible formatting character (U+{(int)name.First(c => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format):X4}); type the name again without it.";
        if (name.Length > MaxClassNameLength)
            return $"{option} is {name.Length} characters long; keep it to {MaxClassNameLength} so its file name fits the file system (e.g. {option} SalesData).";
        return IsValid(name) ? null
            : $"{option} '{name}' is not a C# class name: use letters, digits and underscores, not starting with a digit, and not a keyword (e.g. {option} SalesData).";
    }

    /// <summary>Whether <paramref name="name"/> is a dotted namespace name of valid identifiers.</summary>
    public static bool IsValidNamespace(string name) => name.Split('.').All(IsValid);

    /// <summary>A namespace made from a file name, as the SDK makes <c>RootNamespace</c>: invalid characters become <c>_</c>.</summary>
    public static string Sanitise(string name)
    {
        var parts = name.Split('.').Select(part =>
        {
            var chars = part.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
            var text = new string(chars);
            return text.Length == 0 || char.IsDigit(text[0]) ? "_" + text : text;
        });
        return string.Join('.', parts);
    }
}
