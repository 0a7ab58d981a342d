using System.Xml.Linq;

namespace Lightning.Tool.Projects;

/// <summary>A <c>Directory.Packages.props</c> with central package management turned on.</summary>
internal sealed class CentralPackages(string path, XDocument xml)
{
    private readonly XDocument _xml = xml;

    /// <summary>The file's full path.</summary>
    public string Path { get; } = path;

    /// <summary>The nearest <c>Directory.Packages.props</c> at or above <paramref name="folder"/> that manages versions centrally.</summary>
    public static CentralPackages? Find(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            var path = System.IO.Path.Combine(dir.FullName, "Directory.Packages.props");
            if (!File.Exists(path)) continue;
            try
            {
                var xml = XDocument.Load(path);
                var enabled = xml.Descendants().Any(e => e.Name.LocalName == "ManagePackageVersionsCentrally" && e.Value.Trim() == "true");
                return enabled ? new CentralPackages(path, xml) : null;
            }
            catch (System.Xml.XmlException)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>The central version of a package, or <see langword="null"/>.</summary>
    public string? Version(string id) =>
        _xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "PackageVersion" && string.Equals(e.Attribute("Include")?.Value, id, StringComparison.OrdinalIgnoreCase))
            ?.Attribute("Version")?.Value;
}
