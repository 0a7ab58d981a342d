using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Lightning.Tool.CodeEditing;

/// <summary>
/// Reads an existing <c>ConfigureOptimizers</c> override to add a learning-rate scheduler: when it only returns
/// one optimizer (<c>=> optim.Adam(...)</c> or <c>{ return optim.Adam(...); }</c>), its body can be replaced by
/// one that keeps that optimizer and adds the scheduler; anything else is left to the user.
/// </summary>
internal static class OptimizerConfigEditor
{
    private static readonly string[] SchedulerWords = ["lr_scheduler", "LRScheduler", "LRSchedulerConfig", "StepLR", "ReduceLROnPlateau", "CosineAnnealingLR", "ExponentialLR", "OneCycleLR"];

    /// <summary>Whether the method already configures a scheduler.</summary>
    public static bool HasScheduler(MethodDeclarationSyntax method) =>
        method.DescendantNodes().OfType<SimpleNameSyntax>().Any(n => SchedulerWords.Contains(n.Identifier.ValueText))
        || method.DescendantNodes().OfType<TupleExpressionSyntax>().Any();

    /// <summary>The optimizer expression when the method returns nothing but a newly created optimizer, else <see langword="null"/>.</summary>
    public static ExpressionSyntax? PlainOptimizer(MethodDeclarationSyntax method)
    {
        var returned = method.ExpressionBody?.Expression
            ?? (method.Body?.Statements is [ReturnStatementSyntax only] ? only.Expression : null);
        return returned is InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax ? returned : null;
    }

    /// <summary>The change replacing the method's body (everything after its parameter list) by <paramref name="block"/> (template text starting at <c>{</c>).</summary>
    public static TextChange ReplaceBody(SourceDocument document, MethodDeclarationSyntax method, string block)
    {
        var layout = CodeLayout.Of(document.File);
        var indent = MemberInserter.IndentOfLine(document.File.Text, method.SpanStart);
        var start = method.ParameterList.Span.End;
        return new TextChange(TextSpan.FromBounds(start, method.Span.End), layout.LineEnding + layout.Apply(block, indent).TrimEnd('\r', '\n'));
    }
}
