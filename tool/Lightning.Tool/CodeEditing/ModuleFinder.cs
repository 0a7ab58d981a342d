using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lightning.Tool.CodeEditing;

/// <summary>
/// Finds the classes deriving from a Lightning base class (<c>LightningModule&lt;TBatch&gt;</c>, say) by syntax
/// alone, which is fast and needs no build: directly, or through the project's own (possibly generic) base
/// classes. Partial classes are gathered across files; abstract classes are bases, not modules.
/// </summary>
internal sealed class ModuleFinder
{
    private readonly Dictionary<string, List<ClassPart>> _classes = new(StringComparer.Ordinal);
    private readonly ImportScope _globalScope;
    private readonly HashSet<string> _deconstructsInTwo = new(StringComparer.Ordinal);

    /// <summary>Indexes the classes of <paramref name="documents"/>.</summary>
    public ModuleFinder(IReadOnlyList<SourceDocument> documents, ImportScope globalScope)
    {
        _globalScope = globalScope;
        foreach (var document in documents)
            foreach (var type in document.Root.DescendantNodes().OfType<TypeDeclarationSyntax>().Where(DeconstructsInTwo))
                _deconstructsInTwo.Add(type.Identifier.ValueText);
        foreach (var document in documents)
            foreach (var declaration in document.Root.DescendantNodes().OfType<ClassDeclarationSyntax>())
            {
                var key = FullName(declaration);
                if (!_classes.TryGetValue(key, out var parts)) _classes[key] = parts = [];
                parts.Add(new ClassPart(document, declaration));
            }
    }

    /// <summary>The non-abstract classes deriving from <paramref name="baseName"/>&lt;TBatch&gt;, ordered by name.</summary>
    public IReadOnlyList<ModuleClass> Find(string baseName) =>
        [.. _classes
            .Where(c => !c.Value.Any(p => p.Declaration.Modifiers.Any(SyntaxKind.AbstractKeyword)))
            .Select(c => (c.Key, Batch: BatchOf(c.Value, baseName, depth: 0)))
            .Where(c => c.Batch is not null)
            .Select(c => new ModuleClass(c.Key, _classes[c.Key], c.Batch!) { BaseParts = BaseParts(_classes[c.Key]) })
            .OrderBy(m => m.FullName, StringComparer.Ordinal)];

    // The declarations of the project's own classes the module derives from, nearest first.
    private List<ClassPart> BaseParts(List<ClassPart> parts)
    {
        var bases = new List<ClassPart>();
        for (var depth = 0; depth < 8; depth++)
        {
            var next = parts.Select(p => (Part: p, Type: p.Declaration.BaseList?.Types.FirstOrDefault()?.Type))
                .Select(p => p.Type is null ? null : LastName(p.Type) is { } name ? FindClass(name, p.Part) : null)
                .FirstOrDefault(found => found is not null);
            if (next is null || next == parts) break;
            bases.AddRange(next);
            parts = next;
        }
        return bases;
    }

    private BatchType? BatchOf(List<ClassPart> parts, string baseName, int depth)
    {
        if (depth > 8) return null;
        foreach (var part in parts)
        {
            if (part.Declaration.BaseList?.Types.FirstOrDefault()?.Type is not { } baseType) continue;
            // class M : Base, where `using Base = Lightning.LightningModule<(Tensor, Tensor)>;` (in the file or global).
            if (baseType is IdentifierNameSyntax { Identifier.ValueText: var alias }
                && (ImportScope.At(part.Declaration, _globalScope).AliasTarget(alias) is { } aliased))
                baseType = SyntaxFactory.ParseTypeName(aliased);
            var name = LastName(baseType);
            if (name is GenericNameSyntax { TypeArgumentList.Arguments.Count: 1 } generic && generic.Identifier.ValueText == baseName)
                return Batch(generic.TypeArgumentList.Arguments[0], part);
            if (name is null || FindClass(name, part) is not { } baseParts) continue;
            var inherited = BatchOf(baseParts, baseName, depth + 1);
            if (inherited is null) return null;
            // class Base<T> : LightningModule<T>; class M : Base<(Tensor, Tensor)>: substitute T.
            var parameters = baseParts.Select(p => p.Declaration.TypeParameterList).FirstOrDefault(l => l is not null)?.Parameters;
            if (parameters is { } ps && name is GenericNameSyntax g)
                for (var i = 0; i < ps.Count && i < g.TypeArgumentList.Arguments.Count; i++)
                    if (ps[i].Identifier.ValueText == inherited.Written)
                        return Batch(g.TypeArgumentList.Arguments[i], part);
            return inherited;
        }
        return null;
    }

    private BatchType Batch(TypeSyntax type, ClassPart part)
    {
        var written = type.ToString();
        var local = type is IdentifierNameSyntax ? ImportScope.At(part.Declaration, ImportScope.Global([], [])).AliasTarget(written) : null;
        var global = type is IdentifierNameSyntax && local is null ? _globalScope.AliasTarget(written) : null;
        var resolved = SyntaxFactory.ParseTypeName(local ?? global ?? written);
        var deconstructs = LastName(resolved) is { } last && _deconstructsInTwo.Contains(last.Identifier.ValueText);
        return new BatchType(written, local ?? global, local is null ? null : part.Document.Path, deconstructs);
    }

    // A Deconstruct with two out parameters, or a positional record of two (which the compiler gives one).
    private static bool DeconstructsInTwo(TypeDeclarationSyntax type) =>
        (type is RecordDeclarationSyntax { ParameterList.Parameters.Count: 2 })
        || type.Members.OfType<MethodDeclarationSyntax>().Any(m => m.Identifier.ValueText == "Deconstruct"
            && m.ParameterList.Parameters.Count == 2 && m.ParameterList.Parameters.All(p => p.Modifiers.Any(SyntaxKind.OutKeyword)));

    private List<ClassPart>? FindClass(SimpleNameSyntax name, ClassPart from)
    {
        var arity = name is GenericNameSyntax g ? g.TypeArgumentList.Arguments.Count : 0;
        var suffix = name.Identifier.ValueText + (arity > 0 ? "`" + arity : string.Empty);
        // Prefer a class in the same namespace, else any class of that name in the project.
        var ns = Namespace(from.Declaration);
        var candidates = _classes.Where(c => c.Key == suffix || c.Key.EndsWith("." + suffix, StringComparison.Ordinal)).ToList();
        return candidates.FirstOrDefault(c => c.Key == (ns.Length > 0 ? ns + "." : string.Empty) + suffix).Value ?? candidates.FirstOrDefault().Value;
    }

    private static SimpleNameSyntax? LastName(TypeSyntax type) => type switch
    {
        QualifiedNameSyntax qualified => qualified.Right,
        AliasQualifiedNameSyntax alias => alias.Name,
        SimpleNameSyntax simple => simple,
        _ => null,
    };

    private static string FullName(ClassDeclarationSyntax declaration)
    {
        var names = declaration.AncestorsAndSelf().OfType<TypeDeclarationSyntax>()
            .Select(t => t.Identifier.ValueText + (t.TypeParameterList is { } tp ? "`" + tp.Parameters.Count : string.Empty))
            .Reverse();
        var ns = Namespace(declaration);
        return (ns.Length > 0 ? ns + "." : string.Empty) + string.Join('.', names);
    }

    /// <summary>The namespace a declaration is in, <c>""</c> for the global namespace.</summary>
    public static string Namespace(SyntaxNode node) =>
        string.Join('.', node.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Reverse().Select(n => n.Name.ToString()));
}
