using System.Xml;
using System.Xml.Linq;
using Lightning.Tool.CodeEditing;
using Lightning.Tool.Projects;
using Microsoft.CodeAnalysis.Text;

namespace Lightning.Tool.Datasets;

/// <summary>
/// Adds <c>PackageReference</c> items to a project file by text insertion next to the existing ones (or in a
/// new <c>ItemGroup</c>), keeping the rest of the file byte for byte. Under central package management the
/// versions live elsewhere, so the tool says exactly what to add instead.
/// </summary>
internal static class PackageReferenceEditor
{
    /// <summary>Plans the references <paramref name="packages"/> that the project lacks.</summary>
    public static void Plan(CSharpProject project, IReadOnlyList<PackageRequirement> packages, EditPlan plan)
    {
        var missing = packages.Where(p => !project.ReferencesPackage(p.Id)).ToList();
        if (missing.Count == 0) return;
        if (CentralPackages.Find(project.Directory) is { } central)
        {
            plan.Notes.Add($"The generated code needs {string.Join(" and ", missing.Select(p => p.Id))}. This project manages versions centrally, so add by hand:" +
                $"{Environment.NewLine}  to {Path.GetFileName(project.Path)}: {string.Join(" ", missing.Select(p => $"<PackageReference Include=\"{p.Id}\" />"))}" +
                $"{Environment.NewLine}  to {central.Path}: {string.Join(" ", missing.Select(p => $"<PackageVersion Include=\"{p.Id}\" Version=\"{p.Version}\" />"))}");
            return;
        }
        var file = TextFile.Read(project.Path);
        var layout = CodeLayout.Of(file);
        XDocument xml;
        try
        {
            xml = XDocument.Parse(file.Text, LoadOptions.SetLineInfo | LoadOptions.PreserveWhitespace);
        }
        catch (XmlException e)
        {
            throw new ToolException($"{project.Path} is not a well-formed project file: {e.Message}");
        }
        var lines = SourceText.From(file.Text).Lines;
        var last = xml.Descendants().LastOrDefault(e => e.Name.LocalName == "PackageReference" && e.Parent?.Name.LocalName == "ItemGroup");
        if (last is not null)
        {
            var lineNumber = ((IXmlLineInfo)last).LineNumber - 1;
            var start = lines[lineNumber].Start + ((IXmlLineInfo)last).LinePosition - 2;
            var end = ElementEnd(file.Text, start);
            var indent = MemberInserter.IndentOfLine(file.Text, start);
            var endOfLine = lines.GetLineFromPosition(end).End;
            // After the element's line, or right after the element where more follows it on its line (<ItemGroup><PackageReference ... /></ItemGroup>).
            var at = string.IsNullOrWhiteSpace(file.Text[end..endOfLine]) ? endOfLine : end;
            plan.Change(file, new TextChange(new TextSpan(at, 0),
                string.Concat(missing.Select(p => file.LineEnding + indent + Reference(p)))));
        }
        else
        {
            var close = file.Text.LastIndexOf("</Project>", StringComparison.Ordinal);
            if (close < 0) throw new ToolException($"{project.Path} has no </Project> end tag.");
            var lineStart = file.Text.LastIndexOf('\n', Math.Max(0, close - 1)) + 1;
            var group = "<ItemGroup>\n" + string.Concat(missing.Select(p => "    " + Reference(p) + "\n")) + "</ItemGroup>\n";
            // </Project> sharing its line with other elements (a one-line project file): the group goes right before it.
            var alone = string.IsNullOrWhiteSpace(file.Text[lineStart..close]);
            plan.Change(file, new TextChange(new TextSpan(alone ? lineStart : close, 0), (alone ? string.Empty : layout.LineEnding) + layout.Apply(group, layout.IndentUnit)));
        }
        plan.Done.Add($"Added {string.Join(" and ", missing.Select(p => $"{p.Id} {p.Version}"))} to {Path.GetFileName(project.Path)}.");
    }

    private static string Reference(PackageRequirement package) => $"<PackageReference Include=\"{package.Id}\" Version=\"{package.Version}\" />";

    // The position just after the element starting at start: after its "/>" or its "</PackageReference>".
    private static int ElementEnd(string text, int start)
    {
        const string CloseTag = "</PackageReference>";
        var selfClosing = text.IndexOf("/>", start, StringComparison.Ordinal);
        var open = text.IndexOf('>', start);
        if (selfClosing >= 0 && selfClosing + 1 == open) return open + 1;
        var close = text.IndexOf(CloseTag, start, StringComparison.Ordinal);
        return close >= 0 ? close + CloseTag.Length : open + 1;
    }
}
