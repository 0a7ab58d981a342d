using Lightning.Tool.CodeEditing;
using Lightning.Tool.Projects;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Lightning.Tool.Datasets;

/// <summary>
/// Switches the project's <c>LightningCli.Run&lt;TModel, TDataModule&gt;</c> call (the classifier template's
/// <c>Program.cs</c> has one) to a new data module, so <c>dotnet run</c> trains on it. LightningCli gives the
/// model's constructor parameters the data module's properties of the same name (<c>InputSize</c> to
/// <c>inputSize</c>, <c>NumClasses</c> to <c>numClasses</c>) unless set on the command line, so the sizes follow.
/// </summary>
internal static class CliWiring
{
    /// <summary>Plans the switch to <paramref name="className"/> in <paramref name="ns"/>, or says how to use it where there is nothing to switch.</summary>
    public static void Plan(CSharpProject project, string className, string ns, bool wire, EditPlan plan)
    {
        var calls = project.Documents
            .SelectMany(d => d.Root.DescendantNodes().OfType<InvocationExpressionSyntax>().Select(i => (Document: d, Call: i, Types: RunTypes(i))))
            .Where(c => c.Types is not null)
            .ToList();
        if (calls.Count == 0)
        {
            plan.Notes.Add($"Train with it: trainer.Fit(model, dataModule: new {className}()); its constructor's parameters hold the options given here, and its InputSize and NumClasses the sizes the model needs.");
            return;
        }
        var where = string.Join(", ", calls.Select(c => $"{Path.GetFileName(c.Document.Path)} (line {Line(c.Call)})"));
        if (calls.Count > 1)
        {
            plan.Notes.Add($"The project calls LightningCli.Run in several places ({where}), so none was switched to {className}; change the data module type of the one you run.");
            return;
        }
        var (document, call, types) = calls[0];
        var dataModule = types!.Arguments[1];
        var text = ImportScope.At(call, project.GlobalScope).Prefix(ns) + className;
        if (!wire)
        {
            plan.Notes.Add($"{where} runs LightningCli.Run<{types.Arguments[0]}, {dataModule}>: pass --wire to switch it to {text}, or change it by hand to train on the new data.");
            return;
        }
        if (dataModule.ToString() == text) return;
        plan.Change(document.File, new TextChange(dataModule.Span, text));
        plan.Done.Add($"{where} now runs LightningCli.Run<{types.Arguments[0]}, {text}> instead of {dataModule}. " +
            $"LightningCli gives the model's inputSize and numClasses {className}'s InputSize and NumClasses unless --model.input-size or --model.num-classes is given.");
    }

    // LightningCli.Run<TModel, TDataModule>(...), also written Lightning.LightningCli.Run<...>.
    private static TypeArgumentListSyntax? RunTypes(InvocationExpressionSyntax invocation) =>
        invocation.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax { Identifier.ValueText: "Run", TypeArgumentList: { Arguments.Count: 2 } types } } access
        && access.Expression is IdentifierNameSyntax { Identifier.ValueText: "LightningCli" } or MemberAccessExpressionSyntax { Name.Identifier.ValueText: "LightningCli" }
            ? types
            : null;

    private static int Line(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
}
