using System.Reflection;
using System.Text;
using Lightning.Templates.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lightning.Templates.Tests;

/// <summary>
/// The lightning template as the build stamps it: besides the hooks it writes by hand, the tool writes a stub of every
/// other hook in place of its <c>// @HookStubs@</c> line. Every hook is there with the runtime's signature and a note.
/// </summary>
[TestClass]
public sealed class HookStubTests
{
    private static readonly NullabilityInfoContext Nullability = new();

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void",
        [typeof(bool)] = "bool",
        [typeof(int)] = "int",
        [typeof(long)] = "long",
        [typeof(double)] = "double",
        [typeof(float)] = "float",
        [typeof(string)] = "string",
        [typeof(object)] = "object",
    };

    [TestMethod]
    public void TheLightningTemplateStubsEveryHookWithItsSignatureAndANote()
    {
        var module = ParseTemplateModule();
        var batchType = Normalize(((GenericNameSyntax)module.BaseList!.Types[0].Type).TypeArgumentList.Arguments[0].ToString());
        var stubs = module.Members.OfType<MethodDeclarationSyntax>()
            .Where(m => m.Modifiers.Any(SyntaxKind.OverrideKeyword))
            .ToDictionary(Signature, m => m);
        var hooks = Hooks().Where(h => !IsOverload(h)).ToList();

        Assert.IsTrue(hooks.Count > 60, $"only {hooks.Count} hooks found on the runtime's LightningModule");
        var missing = new StringBuilder();
        foreach (var hook in hooks.Where(h => !KeepsEveryOutput(h)))
        {
            var expected = $"{Render(Nullability.Create(hook.ReturnParameter), batchType)} {hook.Name}(" +
                string.Join(", ", hook.GetParameters().Select(p => $"{Render(Nullability.Create(p), batchType)} {p.Name}")) + ")";
            if (!stubs.Remove(Normalize(expected), out var stub))
            {
                missing.AppendLine(expected);
                continue;
            }
            Assert.AreEqual(1, NoteLines(stub), $"{hook.Name} needs exactly one line of comment, above it or starting its body, saying when it runs and what belongs there");
        }
        Assert.AreEqual("", missing.ToString(), "hooks the template does not stub (or stubs with another signature)");
        Assert.AreEqual(0, stubs.Count, "overrides that match no runtime hook: " + string.Join(", ", stubs.Keys));
    }

    [TestMethod]
    public void TheHooksThatKeepEveryStepsOutputAreNotStubbedButNamedWithTheirCost()
    {
        var module = ParseTemplateModule();
        var overridden = module.Members.OfType<MethodDeclarationSyntax>()
            .Where(m => m.Modifiers.Any(SyntaxKind.OverrideKeyword)).Select(m => m.Identifier.Text).ToHashSet();
        var notes = module.DescendantTrivia().Where(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia)).Select(t => t.ToString()).ToList();
        var costly = Hooks().Where(KeepsEveryOutput).Select(h => h.Name).ToList();

        CollectionAssert.AreEquivalent(new[] { "TrainingEpochEnd", "ValidationEpochEnd", "TestEpochEnd" }, costly);
        foreach (var hook in costly)
        {
            // Overriding one makes the Trainer keep every step's output for the whole epoch, which a generated project must not pay silently.
            Assert.IsFalse(overridden.Contains(hook), $"{hook} is overridden by the template");
            Assert.IsTrue(notes.Any(n => n.Contains($"{hook}(outputs) is not stubbed: overriding it keeps every step's output", StringComparison.Ordinal)),
                $"no note names {hook} and what overriding it costs");
        }
    }

    // ValidationStep(batch, batchIdx, dataloaderIdx) and the like: written by hand in the runtime, not declared, not stubbed.
    private static bool IsOverload(MethodInfo hook) =>
        Hooks().Any(h => h.Name == hook.Name && h.GetParameters().Length < hook.GetParameters().Length);

    // The 0.x *EpochEnd(outputs) hooks: the Trainer keeps the outputs only when one is overridden.
    private static bool KeepsEveryOutput(MethodInfo hook) =>
        hook.GetParameters().Any(p => p.ParameterType == typeof(IReadOnlyList<StepOutput>));

    /// <summary>
    /// The comment lines directly above a member (section headers above a blank line do not count), or else those
    /// starting its body, where the tool writes a stub's note.
    /// </summary>
    private static int NoteLines(MethodDeclarationSyntax method)
    {
        var above = CommentLinesAbove(method);
        if (above > 0 || method.Body is null) return above;
        var first = method.Body.Statements.Count > 0 ? method.Body.Statements[0].GetFirstToken() : method.Body.CloseBraceToken;
        return first.LeadingTrivia.Count(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia)) > 0 ? 1 : 0;
    }

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

    private static ClassDeclarationSyntax ParseTemplateModule()
    {
        var path = Path.Combine(TemplateEnvironment.Stamped, "lightning", "LightningModel.cs");
        var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path));
        Assert.IsFalse(tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error), "the template's module must parse");
        return tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Single();
    }

    /// <summary>Every method a LightningModule subclass can override: the virtual members of the two base classes.</summary>
    private static IEnumerable<MethodInfo> Hooks() =>
        new[] { typeof(LightningModule), typeof(LightningModule<>) }
            .SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.IsVirtual && !m.IsFinal && (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly) && !m.IsSpecialName);

    private static string Signature(MethodDeclarationSyntax method) =>
        Normalize($"{method.ReturnType} {method.Identifier}({string.Join(", ", method.ParameterList.Parameters.Select(p => $"{p.Type} {p.Identifier}"))})");

    private static string Render(System.Reflection.NullabilityInfo info, string batchType)
    {
        var type = info.Type;
        if (type.IsGenericParameter) return batchType;
        var nullable = info.ReadState == NullabilityState.Nullable && !type.IsValueType ? "?" : "";
        if (Nullable.GetUnderlyingType(type) is { } underlying)
            return (Keywords.TryGetValue(underlying, out var k) ? k : underlying.Name) + "?";
        if (Keywords.TryGetValue(type, out var keyword)) return keyword + nullable;
        if (!type.IsGenericType) return type.Name + nullable;
        var name = type.Name[..type.Name.IndexOf('`')];
        return $"{name}<{string.Join(", ", info.GenericTypeArguments.Select(a => Render(a, batchType)))}>{nullable}";
    }

    private static string Normalize(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
