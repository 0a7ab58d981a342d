using Microsoft.CodeAnalysis.CSharp;

namespace Lightning.Tool.Projects;

/// <summary>Checks and makes C# identifiers.</summary>
internal static class Identifiers
{
    /// <summary>Whether <paramref name="name"/> can name a class: a valid identifier that is not a keyword.</summary>
    public static bool IsValid(string name) =>
        SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None && SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.None;

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
