using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Lightning.Generators;

/// <summary>
/// Reads <c>HookDeclarations.cs</c> from its syntax alone (no semantic model), so a compilation that lacks the runtime's
/// types, such as the tool's, can read it as an additional file.
/// </summary>
internal static class HookDeclarationParser
{
    /// <summary>The declaration file's name.</summary>
    public const string FileName = "HookDeclarations.cs";

    /// <summary>The declaring interface's name.</summary>
    public const string InterfaceName = "IHookDeclarations";

    public static HookDeclarationFile Parse(SourceText text) => Parse(CSharpSyntaxTree.ParseText(text));

    public static HookDeclarationFile Parse(SyntaxTree tree)
    {
        var root = tree.GetCompilationUnitRoot();
        var usings = root.Usings.Select(u => u.ToString()).ToList();
        var errors = new List<string>();
        var hooks = new List<HookDeclaration>();
        var declaring = root.DescendantNodes().OfType<InterfaceDeclarationSyntax>().FirstOrDefault(i => i.Identifier.Text == InterfaceName);
        if (declaring is null)
        {
            errors.Add($"{FileName} declares no interface {InterfaceName}<TBatch>; the hooks are its methods.");
            return new HookDeclarationFile(usings, hooks, errors);
        }
        foreach (var method in declaring.Members.OfType<MethodDeclarationSyntax>())
        {
            var hook = Read(method, errors);
            if (hook is null) continue;
            if (hooks.Any(h => h.Name == hook.Name))
                errors.Add($"{hook.Name} is declared twice in {FileName}; declare each hook once (overloads are written by hand).");
            else
                hooks.Add(hook);
        }
        return new HookDeclarationFile(usings, hooks, errors);
    }

    private static HookDeclaration? Read(MethodDeclarationSyntax method, List<string> errors)
    {
        var name = method.Identifier.Text;
        var attribute = method.AttributeLists.SelectMany(l => l.Attributes).FirstOrDefault(a => IsHookAttribute(a.Name));
        if (attribute?.ArgumentList is not { Arguments.Count: > 0 } arguments || arguments.Arguments[0].NameEquals is not null ||
            arguments.Arguments[0].Expression is not LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } helpLiteral)
        {
            errors.Add($"{name} in {FileName} needs [Hook(\"one line of help\", ...)] with the help as a string literal.");
            return null;
        }

        var targets = HookTargets.Module;
        var order = HookOrder.CallbacksFirst;
        var log = HookLog.PerEpoch;
        var handWritten = false;
        foreach (var argument in arguments.Arguments.Skip(1))
        {
            var property = argument.NameEquals?.Name.Identifier.Text;
            switch (property)
            {
                case "Targets":
                    targets = HookTargets.None;
                    foreach (var member in FlagNames(argument.Expression))
                        targets |= Member<HookTargets>(name, property, member, errors);
                    break;
                case "Order":
                    order = Member<HookOrder>(name, property, MemberName(argument.Expression), errors);
                    break;
                case "Log":
                    log = Member<HookLog>(name, property, MemberName(argument.Expression), errors);
                    break;
                case "HandWrittenDefault":
                    handWritten = argument.Expression.IsKind(SyntaxKind.TrueLiteralExpression);
                    break;
                default:
                    errors.Add($"{name}: [Hook] has no setting '{argument}'; use Targets, Order, Log or HandWrittenDefault.");
                    break;
            }
        }

        var parameters = method.ParameterList.Parameters
            .Select(p => new HookParameter(p.Type?.ToString() ?? "", p.Identifier.Text, p.Default?.Value.ToString()))
            .ToList();
        var usesBatch = method.ReturnType.DescendantNodesAndSelf().Concat(method.ParameterList.DescendantNodes())
            .OfType<IdentifierNameSyntax>().Any(i => i.Identifier.Text == HookDeclaration.BatchType);
        var hook = new HookDeclaration(name, helpLiteral.Token.ValueText, method.ReturnType.ToString(), parameters,
            targets, order, log, handWritten, usesBatch);
        Check(hook, errors);
        return hook;
    }

    private static void Check(HookDeclaration hook, List<string> errors)
    {
        if ((hook.ForModule || hook.ForDataModule) && !hook.HandWrittenDefault && !hook.IsVoid && !hook.ReturnType.EndsWith("?", StringComparison.Ordinal))
            errors.Add($"{hook.Name} returns {hook.ReturnType}, so its default cannot be generated (only void and nullable returns are): " +
                       "write it by hand and set HandWrittenDefault = true.");
        if (hook.ForCallbacks && hook.Parameters.Any(p => p.Type != HookDeclaration.BatchType && p.Type.Contains(HookDeclaration.BatchType)))
            errors.Add($"{hook.Name} goes to callbacks, which see the batch only as object: a parameter may be {HookDeclaration.BatchType}, not a type built from it.");
    }

    private static bool IsHookAttribute(NameSyntax name)
    {
        var simple = name is QualifiedNameSyntax qualified ? qualified.Right.Identifier.Text : (name as IdentifierNameSyntax)?.Identifier.Text;
        return simple is "Hook" or "HookAttribute";
    }

    // `HookTargets.Module | HookTargets.Callbacks` as the member names, left to right.
    private static IEnumerable<string> FlagNames(ExpressionSyntax expression) =>
        expression is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.BitwiseOrExpression } or
            ? FlagNames(or.Left).Concat(FlagNames(or.Right))
            : [MemberName(expression)];

    private static string MemberName(ExpressionSyntax expression) =>
        expression is MemberAccessExpressionSyntax access ? access.Name.Identifier.Text : expression.ToString();

    private static T Member<T>(string hook, string property, string member, List<string> errors) where T : struct
    {
        if (Enum.TryParse<T>(member, out var value) && Enum.IsDefined(typeof(T), value)) return value;
        errors.Add($"{hook}: [Hook] {property} = {member} is not a member of {typeof(T).Name}; write it as {typeof(T).Name}.Member.");
        return default;
    }
}
