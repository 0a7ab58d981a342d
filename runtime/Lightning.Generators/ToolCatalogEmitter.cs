using Microsoft.CodeAnalysis.CSharp;

namespace Lightning.Generators;

/// <summary>
/// The tool's <c>DeclaredHooks</c>: the module's hooks in calling order, each with its Python name, its signature as
/// the declaration writes it, its help and whether its default is written by hand. The tool writes every hook's override from it.
/// </summary>
internal static class ToolCatalogEmitter
{
    public static string Emit(HookDeclarationFile file)
    {
        var writer = new SourceWriter([], "Lightning.Tool.Hooks");
        writer.Summary("The hooks a module can override, as runtime/Lightning/Core/Hooks/HookDeclarations.cs declares them, in the order Lightning calls them.");
        writer.Open("internal static class DeclaredHooks");
        writer.Summary("The declared module hooks.");
        writer.Line("public static global::System.Collections.Generic.IReadOnlyList<DeclaredHook> Module { get; } =");
        writer.Line("[");
        foreach (var hook in file.Hooks.Where(h => h.ForModule))
            writer.Line($"    new({Literal(hook.Name)}, {Literal(hook.PythonName)}, {Literal($"{hook.ReturnType} {hook.Name}({hook.ParameterList})")}, {Literal(hook.Help)}, HandWrittenDefault: {(hook.HandWrittenDefault ? "true" : "false")}),");
        writer.Line("];");
        writer.Close();
        return writer.ToString();
    }

    private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);
}
