using System.Xml.Linq;
using Lightning.Tool.CodeEditing;

namespace Lightning.Tool.Projects;

/// <summary>
/// A C# project read without MSBuild: its .csproj (package references, <c>Using</c> items, root namespace) and
/// its source files by the SDK's default globbing (<c>**/*.cs</c> without <c>bin/</c> and <c>obj/</c>).
/// </summary>
internal sealed class CSharpProject
{
    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    private CSharpProject(string path, XDocument xml, IReadOnlyList<SourceDocument> documents)
    {
        Path = path;
        Xml = xml;
        Documents = documents;
        var usings = Properties("ImplicitUsings").Any(v => v is "enable" or "true") ? ImplicitUsings.ToList() : [];
        usings.AddRange(Items("Using").Where(u => u.Attribute("Alias") is null && u.Attribute("Static")?.Value != "true")
            .Select(u => u.Attribute("Include")?.Value).OfType<string>());
        GlobalScope = ImportScope.Global(documents, usings);
    }

    /// <summary>The project file's full path.</summary>
    public string Path { get; }

    /// <summary>The project's folder.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary>The project file's XML.</summary>
    public XDocument Xml { get; }

    /// <summary>The project's C# files, parsed.</summary>
    public IReadOnlyList<SourceDocument> Documents { get; }

    /// <summary>What every file of the project imports.</summary>
    public ImportScope GlobalScope { get; }

    /// <summary>The root namespace: <c>RootNamespace</c>, else the project file's name made an identifier.</summary>
    public string RootNamespace =>
        Properties("RootNamespace").LastOrDefault() is { Length: > 0 } ns ? ns
        : Identifiers.Sanitise(System.IO.Path.GetFileNameWithoutExtension(Path));

    /// <summary>Reads the project at <paramref name="path"/> and parses its C# files.</summary>
    public static CSharpProject Load(string path)
    {
        XDocument xml;
        try
        {
            xml = XDocument.Load(path);
        }
        catch (System.Xml.XmlException e)
        {
            throw new ToolException($"{path} is not a well-formed project file: {e.Message}");
        }
        var folder = System.IO.Path.GetDirectoryName(path)!;
        var files = System.IO.Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(System.IO.Path.GetRelativePath(folder, f)))
            .Order(StringComparer.Ordinal);
        return new CSharpProject(path, xml, [.. files.Select(SourceDocument.Load)]);
    }

    /// <summary>The values of a property, in file order.</summary>
    public IEnumerable<string> Properties(string name) =>
        Xml.Descendants().Where(e => e.Name.LocalName == name && e.Parent?.Name.LocalName == "PropertyGroup").Select(e => e.Value.Trim());

    /// <summary>The items of a kind (e.g. <c>PackageReference</c>).</summary>
    public IEnumerable<XElement> Items(string kind) =>
        Xml.Descendants().Where(e => e.Name.LocalName == kind && e.Parent?.Name.LocalName == "ItemGroup");

    /// <summary>The version of a referenced package (from the reference or central package management), or <see langword="null"/>.</summary>
    public string? PackageVersion(string id)
    {
        var reference = Items("PackageReference").FirstOrDefault(e => string.Equals(e.Attribute("Include")?.Value, id, StringComparison.OrdinalIgnoreCase));
        if (reference is null) return null;
        var version = reference.Attribute("Version")?.Value ?? reference.Elements().FirstOrDefault(e => e.Name.LocalName == "Version")?.Value;
        if (version is not null) return version;
        return CentralPackages.Find(Directory) is { } central ? central.Version(id) ?? "(central, no version)" : "(no version)";
    }

    /// <summary>Whether the project references the package.</summary>
    public bool ReferencesPackage(string id) =>
        Items("PackageReference").Any(e => string.Equals(e.Attribute("Include")?.Value, id, StringComparison.OrdinalIgnoreCase));

    private static bool IsBuildOutput(string relative) =>
        relative.Split(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar)[..^1]
            .Any(part => part is "bin" or "obj");
}
