using System.Xml.Linq;

namespace Lightning.Templates.Tests.Support;

/// <summary>The versions this repository's build files set, which the template pack must carry.</summary>
internal static class RepositoryVersions
{
    public static string Lightning { get; } =
        XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Build.props")).Descendants("Version").Single().Value;

    public static string TorchSharp { get; } =
        XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == "TorchSharp").Attribute("Version")!.Value;
}
