using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lightning.Tool.CodeEditing;

/// <summary>
/// The namespaces, static classes and aliases visible at one place of a file: its <c>using</c> directives,
/// the enclosing namespaces, and the project's global usings. Generated code names types as briefly as that
/// place allows (<c>Tensor</c> under <c>using static TorchSharp.torch;</c>, else <c>torch.Tensor</c> or
/// <c>TorchSharp.torch.Tensor</c>), so it reads like the code around it and still compiles.
/// </summary>
internal sealed class ImportScope
{
    private readonly HashSet<string> _imported;
    private readonly Dictionary<string, string> _aliases;

    private ImportScope(HashSet<string> imported, Dictionary<string, string> aliases)
    {
        _imported = imported;
        _aliases = aliases;
    }

    /// <summary>The scope of everything imported project-wide: <c>global using</c> directives and the csproj's <c>Using</c> items.</summary>
    public static ImportScope Global(IEnumerable<SourceDocument> documents, IEnumerable<string> projectUsings)
    {
        var imported = new HashSet<string>(projectUsings, StringComparer.Ordinal);
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var document in documents)
            foreach (var directive in document.Root.Usings.Where(u => !u.GlobalKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.None)))
                Add(directive, imported, aliases);
        return new ImportScope(imported, aliases);
    }

    /// <summary>The scope at <paramref name="node"/>: <paramref name="global"/> plus the file's and enclosing namespaces' imports.</summary>
    public static ImportScope At(SyntaxNode node, ImportScope global)
    {
        var imported = new HashSet<string>(global._imported, StringComparer.Ordinal);
        var aliases = new Dictionary<string, string>(global._aliases, StringComparer.Ordinal);
        foreach (var directive in ((CompilationUnitSyntax)node.SyntaxTree.GetRoot()).Usings) Add(directive, imported, aliases);
        foreach (var ns in node.Ancestors().OfType<BaseNamespaceDeclarationSyntax>())
        {
            var name = ns.Name.ToString();
            // namespace A.B { } sees the members of A.B, of A, and of the namespaces around it.
            for (var parts = name.Split('.'); parts.Length > 0; parts = parts[..^1])
                imported.Add(ContainingNamespace(ns) + string.Join('.', parts));
            foreach (var directive in ns.Usings) Add(directive, imported, aliases);
        }
        return new ImportScope(imported, aliases);
    }

    /// <summary>The alias target when <paramref name="name"/> is a <c>using</c> alias in this scope.</summary>
    public string? AliasTarget(string name) => _aliases.GetValueOrDefault(name);

    /// <summary>
    /// The shortest prefix that reaches the members of <paramref name="fullName"/> (a namespace or a static class)
    /// from this scope: <c>""</c> when it is imported, else the rest of the name after the longest imported part, plus a dot.
    /// </summary>
    public string Prefix(string fullName)
    {
        var parts = fullName.Split('.');
        for (var k = parts.Length; k > 0; k--)
            if (_imported.Contains(string.Join('.', parts[..k])))
                return k == parts.Length ? string.Empty : string.Join('.', parts[k..]) + ".";
        return fullName + ".";
    }

    private static string ContainingNamespace(BaseNamespaceDeclarationSyntax ns)
    {
        var outer = ns.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Select(n => n.Name.ToString()).Reverse().ToList();
        return outer.Count == 0 ? string.Empty : string.Join('.', outer) + ".";
    }

    private static void Add(UsingDirectiveSyntax directive, HashSet<string> imported, Dictionary<string, string> aliases)
    {
        if (directive.Name is null && directive.NamespaceOrType is null) return;
        var target = (directive.NamespaceOrType ?? directive.Name)!.ToString();
        if (directive.Alias is { } alias) aliases[alias.Name.Identifier.ValueText] = target;
        else imported.Add(target.StartsWith("global::", StringComparison.Ordinal) ? target["global::".Length..] : target);
    }
}
