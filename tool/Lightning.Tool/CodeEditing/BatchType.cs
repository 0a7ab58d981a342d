using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lightning.Tool.CodeEditing;

/// <summary>
/// The <c>TBatch</c> of a module's <c>LightningModule&lt;TBatch&gt;</c> base as the user wrote it, and what it
/// stands for when it is a <c>using</c> alias (which only the file declaring it can use, unless it is global).
/// </summary>
/// <param name="Written">The type as written in the base list, e.g. <c>(Tensor X, Tensor Y)</c> or <c>Batch</c>.</param>
/// <param name="AliasTarget">The alias's target when <paramref name="Written"/> is a <c>using</c> alias.</param>
/// <param name="AliasFile">The file declaring a file-level alias; <see langword="null"/> for a global alias or no alias.</param>
/// <param name="Deconstructs">Whether the batch is a type of the project that deconstructs into two values (a <c>Deconstruct</c> method or a positional record of two).</param>
internal sealed record BatchType(string Written, string? AliasTarget, string? AliasFile, bool Deconstructs = false)
{
    /// <summary>Whether generated code can write <c>var (x, y) = batch;</c>: a pair, or a type that deconstructs into two.</summary>
    public bool SplitsInTwo => IsPair || Deconstructs;

    /// <summary>The type the batch really is, alias resolved.</summary>
    public string Resolved => AliasTarget ?? Written;

    /// <summary>Whether a batch is a pair such as <c>(Tensor X, Tensor Y)</c>, so generated code can write <c>var (x, y) = batch;</c>.</summary>
    public bool IsPair => SyntaxFactory.ParseTypeName(Resolved) switch
    {
        TupleTypeSyntax tuple => tuple.Elements.Count == 2,
        var type => LastName(type) is GenericNameSyntax { Identifier.ValueText: "ValueTuple" or "Tuple", TypeArgumentList.Arguments.Count: 2 },
    };

    /// <summary>How code in <paramref name="file"/> names the batch type: the alias where it is in scope, else its target.</summary>
    public string TextIn(string file) =>
        AliasTarget is null || AliasFile is null || string.Equals(AliasFile, file, StringComparison.Ordinal) ? Written : AliasTarget;

    private static SimpleNameSyntax? LastName(TypeSyntax type) => type switch
    {
        QualifiedNameSyntax qualified => qualified.Right,
        AliasQualifiedNameSyntax alias => alias.Name,
        SimpleNameSyntax simple => simple,
        _ => null,
    };
}
