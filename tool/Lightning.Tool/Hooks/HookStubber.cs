using Lightning.Tool.CodeEditing;
using Lightning.Tool.Projects;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Lightning.Tool.Hooks;

/// <summary>
/// Writes a stub of every hook a module does not override, in calling order, in place of the comment line starting
/// <c>// @HookStubs@</c> in the module: how the build of the <c>lightning</c> template fills it with every hook
/// (templates/Lightning.Templates.csproj), from the same declaration and templates as <c>add-hook</c>. The 0.x
/// <c>*EpochEnd(outputs)</c> hooks get a note instead, since overriding one has a cost.
/// </summary>
internal static class HookStubber
{
    /// <summary>How the comment line the stubs replace starts.</summary>
    public const string Marker = "// @HookStubs@";

    /// <summary>The change to <paramref name="module"/>'s file holding the marker.</summary>
    public static EditPlan Plan(ModuleClass module, CSharpProject project)
    {
        var markers = module.Parts
            .SelectMany(p => p.Declaration.DescendantTrivia().Where(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) && t.ToString().StartsWith(Marker, StringComparison.Ordinal)).Select(t => (Part: p, Trivia: t)))
            .ToList();
        if (markers.Count != 1)
            throw new ToolException($"{module.Name} has {markers.Count} comment lines starting `{Marker}` where one is needed: the stubs are written in its place.");
        var (part, marker) = markers[0];

        var context = new HookContext(module, part, project.GlobalScope);
        var stubs = HookCatalog.Hooks.Where(h => !module.Overrides.Contains(h.Name))
            .Select(h => h.KeepsEveryOutput ? CostNote(h) : context.RenderHook(h))
            .ToList();

        var file = part.Document.File;
        var layout = CodeLayout.Of(file);
        var text = file.Text;
        var lineStart = text.LastIndexOf('\n', Math.Max(0, marker.SpanStart - 1)) + 1;
        var lineEnd = text.IndexOf('\n', marker.Span.End) is var end and >= 0 ? end + 1 : text.Length;
        var indent = MemberInserter.IndentOfLine(text, marker.SpanStart);
        var body = string.Join(layout.LineEnding, stubs.Select(s => layout.Apply(s, indent)));

        var plan = new EditPlan();
        plan.Change(file, new TextChange(TextSpan.FromBounds(lineStart, lineEnd), body));
        plan.Done.Add($"Wrote {stubs.Count} hook stubs into {module.Name} in {Path.GetFileName(part.Document.Path)}.");
        return plan;
    }

    private static string CostNote(HookDefinition hook) =>
        $"// {hook.Name}({string.Join(", ", hook.Method.ParameterList.Parameters.Select(p => p.Identifier.ValueText))}) is not stubbed: " +
        $"overriding it keeps every step's output until the epoch ends. {hook.Help}";
}
