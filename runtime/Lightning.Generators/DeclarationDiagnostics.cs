using Microsoft.CodeAnalysis;

namespace Lightning.Generators;

/// <summary>How the generators report the mistakes of a declaration: one error each, naming the hook and the fix.</summary>
internal static class DeclarationDiagnostics
{
    private static readonly DiagnosticDescriptor InvalidDeclaration = new(
        "LHG001", "Hook declaration is invalid", "{0}", "Lightning.Hooks", DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>Reports each of <paramref name="file"/>'s errors; whether it has none, so that code may be generated from it.</summary>
    public static bool IsValid(SourceProductionContext output, HookDeclarationFile file)
    {
        foreach (var error in file.Errors) output.ReportDiagnostic(Diagnostic.Create(InvalidDeclaration, Location.None, error));
        return file.Errors.Count == 0;
    }
}
