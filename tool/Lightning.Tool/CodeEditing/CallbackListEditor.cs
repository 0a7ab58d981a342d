using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Lightning.Tool.CodeEditing;

/// <summary>
/// Adds callbacks to an existing <c>ConfigureCallbacks</c> override in the shapes people write it: an iterator
/// (<c>yield return</c>), a collection expression (<c>=> [a, b]</c>), or an array or list initializer.
/// </summary>
internal static class CallbackListEditor
{
    /// <summary>Whether <paramref name="method"/> creates a callback of type <paramref name="typeName"/>.</summary>
    public static bool Creates(MethodDeclarationSyntax method, string typeName) =>
        method.DescendantNodes().OfType<ObjectCreationExpressionSyntax>().Any(o => IsOf(o, typeName));

    /// <summary>Whether <paramref name="creation"/> creates an object of type <paramref name="typeName"/> (by its last name).</summary>
    public static bool IsOf(ObjectCreationExpressionSyntax creation, string typeName) => LastName(creation.Type) == typeName;

    /// <summary>The change adding <paramref name="expressions"/> to what <paramref name="method"/> returns, or <see langword="null"/> for a shape it does not know.</summary>
    public static TextChange? Add(SourceDocument document, MethodDeclarationSyntax method, IReadOnlyList<string> expressions)
    {
        var text = document.File.Text;
        var eol = document.File.LineEnding;
        var yields = method.DescendantNodes().OfType<YieldStatementSyntax>().ToList();
        if (yields.LastOrDefault(y => y.IsKind(SyntaxKind.YieldReturnStatement)) is { } lastReturn)
        {
            var indent = MemberInserter.IndentOfLine(text, lastReturn.SpanStart);
            return new TextChange(new TextSpan(lastReturn.Span.End, 0),
                string.Concat(expressions.Select(e => eol + indent + $"yield return {e};")));
        }
        if (yields.Count > 0 && yields.All(y => y.IsKind(SyntaxKind.YieldBreakStatement)) && method.Body?.Statements.LastOrDefault() is YieldStatementSyntax onlyBreak)
        {
            var indent = MemberInserter.IndentOfLine(text, onlyBreak.SpanStart);
            return new TextChange(onlyBreak.Span, string.Join(eol + indent, expressions.Select(e => $"yield return {e};")));
        }
        var returned = method.ExpressionBody?.Expression
            ?? (method.Body?.Statements.LastOrDefault() as ReturnStatementSyntax)?.Expression;
        return returned switch
        {
            CollectionExpressionSyntax collection => AddElements(collection.Elements.Select(e => e.Span).ToList(), collection.OpenBracketToken, collection.CloseBracketToken, expressions),
            ArrayCreationExpressionSyntax { Initializer: { } init } => AddToInitializer(init, expressions),
            ImplicitArrayCreationExpressionSyntax { Initializer: { } init } => AddToInitializer(init, expressions),
            BaseObjectCreationExpressionSyntax { Initializer: { } init } when init.IsKind(SyntaxKind.CollectionInitializerExpression) => AddToInitializer(init, expressions),
            _ => null,
        };
    }

    private static TextChange AddToInitializer(InitializerExpressionSyntax init, IReadOnlyList<string> expressions) =>
        AddElements(init.Expressions.Select(e => e.Span).ToList(), init.OpenBraceToken, init.CloseBraceToken, expressions);

    private static TextChange AddElements(List<TextSpan> elements, SyntaxToken open, SyntaxToken close, IReadOnlyList<string> expressions)
    {
        var joined = string.Join(", ", expressions);
        if (elements.Count == 0)
            return open.IsKind(SyntaxKind.OpenBraceToken)
                ? new TextChange(TextSpan.FromBounds(open.Span.End, close.SpanStart), " " + joined + " ")
                : new TextChange(TextSpan.FromBounds(open.Span.End, close.SpanStart), joined);
        return new TextChange(new TextSpan(elements[^1].End, 0), ", " + joined);
    }

    private static string? LastName(TypeSyntax type) => type switch
    {
        QualifiedNameSyntax q => q.Right.Identifier.ValueText,
        SimpleNameSyntax s => s.Identifier.ValueText,
        _ => null,
    };
}
