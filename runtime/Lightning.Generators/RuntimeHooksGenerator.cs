using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lightning.Generators;

/// <summary>
/// Writes the runtime's copies of the hook surface from <c>Core/Hooks/HookDeclarations.cs</c>; does nothing in a
/// compilation without that file.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class RuntimeHooksGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Only the declaring interface's node is looked at, so an edit elsewhere reuses the parsed declaration and regenerates nothing.
        var declarations = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is InterfaceDeclarationSyntax { Identifier.Text: HookDeclarationParser.InterfaceName } &&
                                    Path.GetFileName(node.SyntaxTree.FilePath) == HookDeclarationParser.FileName,
                static (syntax, _) => HookDeclarationParser.Parse(syntax.Node.SyntaxTree))
            .Collect()
            .Select(static (files, _) => files.FirstOrDefault());
        context.RegisterSourceOutput(declarations, static (output, file) =>
        {
            if (file is null || !DeclarationDiagnostics.IsValid(output, file)) return;
            output.AddSource("HookNames.g.cs", HookNamesEmitter.Emit(file));
            output.AddSource("HookRules.g.cs", HookRulesEmitter.Emit(file));
            output.AddSource("Callback.g.cs", CallbackEmitter.Emit(file));
            output.AddSource("LambdaCallback.g.cs", LambdaCallbackEmitter.Emit(file));
            foreach (var (hintName, source) in ModuleHooksEmitter.Emit(file)) output.AddSource(hintName, source);
        });
    }
}
