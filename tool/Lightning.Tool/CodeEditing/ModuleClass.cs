using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lightning.Tool.CodeEditing;

/// <summary>One declaration of a class (a partial class has several, possibly in several files).</summary>
/// <param name="Document">The file.</param>
/// <param name="Declaration">The class declaration in it.</param>
internal sealed record ClassPart(SourceDocument Document, ClassDeclarationSyntax Declaration);

/// <summary>A class of the project deriving from <c>LightningModule&lt;TBatch&gt;</c> (or <c>LightningDataModule&lt;TBatch&gt;</c>).</summary>
/// <param name="FullName">Namespace-qualified name, e.g. <c>Digits.DigitsModel</c>.</param>
/// <param name="Parts">Its declarations, in file order.</param>
/// <param name="Batch">The batch type of its Lightning base class.</param>
internal sealed record ModuleClass(string FullName, IReadOnlyList<ClassPart> Parts, BatchType Batch)
{
    /// <summary>The class name without namespace.</summary>
    public string Name => Parts[0].Declaration.Identifier.ValueText;

    /// <summary>The names of the methods the class overrides, across all its parts.</summary>
    public IReadOnlySet<string> Overrides { get; } = Parts
        .SelectMany(p => p.Declaration.Members.OfType<MethodDeclarationSyntax>())
        .Where(m => m.Modifiers.Any(SyntaxKind.OverrideKeyword))
        .Select(m => m.Identifier.ValueText)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The declarations of the project's classes it derives from, nearest first (empty when its base is Lightning's).</summary>
    public IReadOnlyList<ClassPart> BaseParts { get; init; } = [];

    /// <summary>Whether the class, or one of the project's classes it derives from, declares a method of that name (an override or not).</summary>
    public bool DeclaresMethod(string name) =>
        Methods(name).Any() || BaseParts.Any(p => p.Declaration.Members.OfType<MethodDeclarationSyntax>().Any(m => m.Identifier.ValueText == name));

    /// <summary>The overriding methods named <paramref name="name"/>, with their files.</summary>
    public IEnumerable<(SourceDocument Document, MethodDeclarationSyntax Method)> Methods(string name) =>
        from part in Parts
        from method in part.Declaration.Members.OfType<MethodDeclarationSyntax>()
        where method.Identifier.ValueText == name
        select (part.Document, method);

    /// <summary>
    /// The declaration new members go into: the one holding <c>TrainingStep</c>, where the user keeps the
    /// Lightning code; else the one naming the base class; else the first.
    /// </summary>
    public ClassPart InsertionPart =>
        Parts.FirstOrDefault(p => p.Declaration.Members.OfType<MethodDeclarationSyntax>().Any(m => m.Identifier.ValueText == "TrainingStep"))
        ?? Parts.FirstOrDefault(p => p.Declaration.BaseList is not null)
        ?? Parts[0];

    /// <summary>The files holding the class.</summary>
    public IEnumerable<SourceDocument> Documents => Parts.Select(p => p.Document).Distinct();
}
