using Lightning.Tool.CodeEditing;
using Lightning.Tool.Projects;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lightning.Tool.Datasets;

/// <summary>
/// Lays out a generated data module file like the project's own code: the usings it needs that the project
/// does not import globally, file-scoped or block namespace as the project's files use, and the indentation,
/// line endings and byte-order mark of the project's module file.
/// </summary>
internal static class DataModuleWriter
{
    /// <summary>The text of the new file, and the existing file whose style it copies (if any).</summary>
    public static (string Text, TextFile? Style) Compose(CSharpProject project, DatasetKind kind, string typeText, string ns)
    {
        var style = StyleSource(project);
        var layout = style is null ? new CodeLayout("    ", "\n") : CodeLayout.Of(style.File);
        var usings = kind.Usings.Where(u => !IsGloballyImported(project, u)).Select(u => $"using {u};\n");
        var header = GeneratedMark.Line(kind.Name) + string.Concat(usings) + (usings.Any() ? "\n" : string.Empty);
        var body = FileScoped(project)
            ? $"{header}namespace {ns};\n\n{typeText.TrimEnd('\n')}\n"
            : $"{header}namespace {ns}\n{{\n{Indent(typeText)}}}\n";
        return (layout.Apply(body, string.Empty), style?.File);
    }

    // Block namespaces indent the type one level; CodeLayout turns the template's four spaces into the file's unit.
    private static string Indent(string text) =>
        string.Concat(text.TrimEnd('\n').Split('\n').Select(l => l.Length == 0 ? "\n" : "    " + l + "\n"));

    private static bool IsGloballyImported(CSharpProject project, string import) =>
        !import.StartsWith("static ", StringComparison.Ordinal) && project.GlobalScope.Prefix(import).Length == 0;

    private static SourceDocument? StyleSource(CSharpProject project) =>
        ModuleSelector.Modules(project).FirstOrDefault()?.InsertionPart.Document ?? project.Documents.FirstOrDefault();

    private static bool FileScoped(CSharpProject project)
    {
        var fileScoped = project.Documents.Count(d => d.Root.Members.OfType<FileScopedNamespaceDeclarationSyntax>().Any());
        var block = project.Documents.Count(d => d.Root.Members.OfType<NamespaceDeclarationSyntax>().Any());
        return fileScoped >= block;
    }
}
