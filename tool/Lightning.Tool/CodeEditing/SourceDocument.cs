using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lightning.Tool.CodeEditing;

/// <summary>A C# file of the project: its bytes' text and its syntax tree.</summary>
internal sealed class SourceDocument
{
    private SourceDocument(TextFile file, SyntaxTree tree)
    {
        File = file;
        Tree = tree;
        Root = tree.GetCompilationUnitRoot();
    }

    /// <summary>The file as read.</summary>
    public TextFile File { get; }

    /// <summary>The full path.</summary>
    public string Path => File.Path;

    /// <summary>The parsed text (with the preprocessor symbols of a default build, so <c>#if DEBUG</c> code is seen).</summary>
    public SyntaxTree Tree { get; }

    /// <summary>The root of <see cref="Tree"/>.</summary>
    public Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax Root { get; }

    /// <summary>Reads and parses a file.</summary>
    public static SourceDocument Load(string path)
    {
        var file = TextFile.Read(path);
        var options = new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: ["DEBUG", "TRACE"]);
        return new SourceDocument(file, CSharpSyntaxTree.ParseText(file.Text, options, path));
    }

    /// <summary>The first syntax error, as <c>path(line,column): message</c>, or <see langword="null"/> when the file parses.</summary>
    public string? FirstSyntaxError()
    {
        var error = Tree.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        if (error is null) return null;
        var position = error.Location.GetLineSpan().StartLinePosition;
        return $"{Path}({position.Line + 1},{position.Character + 1}): {error.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
