using Microsoft.CodeAnalysis;

namespace Lightning.Generators;

/// <summary>
/// Writes the tool's list of module hooks from <c>HookDeclarations.cs</c>, which the tool's project passes as an
/// additional file (the tool references neither the runtime nor TorchSharp); does nothing in a compilation without it.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ToolCatalogGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var declarations = context.AdditionalTextsProvider
            .Where(text => Path.GetFileName(text.Path) == HookDeclarationParser.FileName)
            .Select((text, cancellation) => text.GetText(cancellation) is { } source ? HookDeclarationParser.Parse(source) : null);
        context.RegisterSourceOutput(declarations, static (output, file) =>
        {
            if (file is null || !DeclarationDiagnostics.IsValid(output, file)) return;
            output.AddSource("DeclaredHooks.g.cs", ToolCatalogEmitter.Emit(file));
        });
    }
}
