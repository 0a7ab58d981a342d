using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lightning.Tool.Hooks;

/// <summary>
/// Writes a declared hook signature (<c>void OnBeforeZeroGrad(Optimizer optimizer)</c>) as the override a module
/// file needs: the batch type in place of <c>TBatch</c>, and each type named as briefly as the file's imports allow.
/// </summary>
internal static class HookSignature
{
    // Where the types hook signatures use live. A hook whose signature names another type fails every test that
    // renders it (HookCatalogTests renders them all), naming this table.
    private static readonly Dictionary<string, string> Containers = new(StringComparer.Ordinal)
    {
        ["Tensor"] = "TorchSharp.torch",
        ["Device"] = "TorchSharp.torch",
        ["Optimizer"] = "TorchSharp.torch.optim",
        ["LRScheduler"] = "TorchSharp.torch.optim.lr_scheduler",
        ["IEnumerable"] = "System.Collections.Generic",
        ["IReadOnlyList"] = "System.Collections.Generic",
        ["IDictionary"] = "System.Collections.Generic",
        ["IReadOnlyDictionary"] = "System.Collections.Generic",
        ["Func"] = "System",
        ["StepOutput"] = "Lightning",
        ["Stage"] = "Lightning",
        ["Callback"] = "Lightning",
        ["OptimizerConfig"] = "Lightning",
        ["GradientClipAlgorithm"] = "Lightning",
    };

    /// <summary>Parses a declared signature.</summary>
    public static MethodDeclarationSyntax Parse(string signature) =>
        SyntaxFactory.ParseMemberDeclaration(signature + ";") is MethodDeclarationSyntax method && !method.ContainsDiagnostics
            ? method
            : throw new InvalidOperationException($"The declared hook signature `{signature}` is not a C# method declaration.");

    /// <summary>
    /// The first line of an override of <paramref name="method"/>: <c>public override</c>, the return type, the name and
    /// the parameters with their defaults. <paramref name="batch"/> replaces <c>TBatch</c>; <paramref name="prefix"/>
    /// gives the prefix that reaches a namespace or static class from the file (<c>""</c> when imported).
    /// </summary>
    public static string Override(MethodDeclarationSyntax method, string batch, Func<string, string> prefix)
    {
        var parameters = method.ParameterList.Parameters.Select(p =>
            $"{Type(p.Type!, batch, prefix)} {p.Identifier.ValueText}{(p.Default is { } d ? " = " + d.Value : string.Empty)}");
        return $"public override {Type(method.ReturnType, batch, prefix)} {method.Identifier.ValueText}({string.Join(", ", parameters)})";
    }

    /// <summary>The parameters passed on, as a call of the default writes them: <c>batch, batchIdx</c>.</summary>
    public static string Arguments(MethodDeclarationSyntax method) =>
        string.Join(", ", method.ParameterList.Parameters.Select(p => p.Identifier.ValueText));

    /// <summary>Whether the hook returns a value.</summary>
    public static bool Returns(MethodDeclarationSyntax method) =>
        method.ReturnType is not PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword };

    private static string Type(TypeSyntax type, string batch, Func<string, string> prefix) => type switch
    {
        PredefinedTypeSyntax predefined => predefined.Keyword.Text,
        NullableTypeSyntax nullable => Type(nullable.ElementType, batch, prefix) + "?",
        IdentifierNameSyntax { Identifier.ValueText: "TBatch" } => batch,
        IdentifierNameSyntax name => Qualified(name.Identifier.ValueText, prefix),
        GenericNameSyntax generic => Qualified(generic.Identifier.ValueText, prefix)
            + "<" + string.Join(", ", generic.TypeArgumentList.Arguments.Select(a => Type(a, batch, prefix))) + ">",
        QualifiedNameSyntax qualified => Type(qualified.Right, batch, prefix),
        _ => throw new InvalidOperationException($"Hook signatures cannot use a type written `{type}`; write it as a name, a generic name or a nullable."),
    };

    private static string Qualified(string name, Func<string, string> prefix) =>
        Containers.TryGetValue(name, out var container)
            ? prefix(container) + name
            : throw new InvalidOperationException(
                $"A hook signature names the type {name}, which tool/Lightning.Tool/Hooks/HookSignature.cs does not place; add its namespace there.");
}
