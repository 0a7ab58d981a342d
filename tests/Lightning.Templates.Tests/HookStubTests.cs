using Lightning.Generators;
using Lightning.Templates.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Lightning.Templates.Tests;

/// <summary>
/// The lightning template as the build stamps it: besides the hooks that make it learn, written in the template, the
/// tool writes a stub of every other declared hook (runtime/Lightning/Core/Hooks/HookDeclarations.cs) in place of its
/// <c>// @HookStubs@</c> line, with the declared signature and help.
/// </summary>
[TestClass]
public sealed class HookStubTests
{
    private static readonly HookDeclarationFile Declaration = HookDeclarationParser.Parse(SourceText.From(
        File.ReadAllText(Path.Combine(RepositoryPaths.Root, "runtime", "Lightning", "Core", "Hooks", HookDeclarationParser.FileName))));

    private static IEnumerable<HookDeclaration> ModuleHooks => Declaration.Hooks.Where(h => h.ForModule);

    [TestMethod]
    public void TheStampedTemplateHasEveryDeclaredHookWithItsSignatureAndTheToolsStubsCarryTheDeclaredHelp()
    {
        var module = ParseModule(Path.Combine(TemplateEnvironment.Stamped, "lightning", "LightningModel.cs"));
        var written = Overrides(ParseModule(Path.Combine(RepositoryPaths.Templates, "content", "lightning", "LightningModel.cs"))).Keys.ToHashSet();
        var batch = ((GenericNameSyntax)module.BaseList!.Types[0].Type).TypeArgumentList.Arguments[0].ToString();
        var overrides = Overrides(module);

        Assert.IsGreaterThan(60, ModuleHooks.Count());
        foreach (var hook in ModuleHooks.Where(h => !KeepsEveryOutput(h)))
        {
            var signature = Normalize($"{hook.ReturnType} {hook.Name}({hook.ParameterList})".Replace(HookDeclaration.BatchType, batch, StringComparison.Ordinal));
            Assert.IsTrue(overrides.Remove(signature, out var method), $"the template has no override {signature}");
            if (written.Contains(signature))
                Assert.AreEqual(1, CommentLinesAbove(method), $"{hook.Name}, written in the template, needs one line of comment above it saying when it runs and what belongs there");
            else
                StringAssert.StartsWith(FirstCommentInBody(method) ?? "", "// " + hook.Help, $"{hook.Name}'s stub starts with the declared help");
        }
        Assert.IsEmpty(overrides.Keys, "overrides that are no declared hook");
    }

    [TestMethod]
    public void TheHooksThatKeepEveryStepsOutputAreNotStubbedButNamedWithTheirCost()
    {
        var module = ParseModule(Path.Combine(TemplateEnvironment.Stamped, "lightning", "LightningModel.cs"));
        var overridden = module.Members.OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.Text).ToHashSet();
        var notes = module.DescendantTrivia().Where(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia)).Select(t => t.ToString()).ToList();
        var costly = ModuleHooks.Where(KeepsEveryOutput).Select(h => h.Name).ToList();

        CollectionAssert.AreEquivalent(new[] { "TrainingEpochEnd", "ValidationEpochEnd", "TestEpochEnd" }, costly);
        foreach (var hook in costly)
        {
            // Overriding one makes the Trainer keep every step's output for the whole epoch, which a generated project must not pay silently.
            Assert.IsFalse(overridden.Contains(hook), $"{hook} is overridden by the template");
            Assert.IsTrue(notes.Any(n => n.Contains($"{hook}(outputs) is not stubbed: overriding it keeps every step's output", StringComparison.Ordinal)),
                $"no note names {hook} and what overriding it costs");
        }
    }

    // The 0.x *EpochEnd(outputs) hooks: the Trainer keeps the outputs only when one is overridden.
    private static bool KeepsEveryOutput(HookDeclaration hook) => hook.Parameters.Any(p => p.Type == "IReadOnlyList<StepOutput>");

    private static Dictionary<string, MethodDeclarationSyntax> Overrides(ClassDeclarationSyntax module) =>
        module.Members.OfType<MethodDeclarationSyntax>().Where(m => m.Modifiers.Any(SyntaxKind.OverrideKeyword)).ToDictionary(Signature, m => m);

    /// <summary>The comment lines directly above a member (section headers above a blank line do not count).</summary>
    private static int CommentLinesAbove(MethodDeclarationSyntax method)
    {
        var lines = 0;
        var previousWasLineEnd = false;
        foreach (var trivia in method.GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                if (previousWasLineEnd) lines = 0;
                previousWasLineEnd = true;
            }
            else if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia))
            {
                lines++;
                previousWasLineEnd = false;
            }
        }
        return lines;
    }

    private static string? FirstCommentInBody(MethodDeclarationSyntax method) =>
        method.Body?.OpenBraceToken.GetNextToken().LeadingTrivia.FirstOrDefault(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia)).ToString();

    private static ClassDeclarationSyntax ParseModule(string path)
    {
        var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path));
        Assert.IsFalse(tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error), $"{path} must parse");
        return tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Single();
    }

    private static string Signature(MethodDeclarationSyntax method) =>
        Normalize($"{method.ReturnType} {method.Identifier}({string.Join(", ", method.ParameterList.Parameters.Select(p => $"{p.Type} {p.Identifier}{p.Default}"))})");

    private static string Normalize(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
