namespace Lightning.Tests.Support;

/// <summary>
/// The packages the build produced: <c>dotnet pack</c> writes them to <c>artifacts/packages</c> (see
/// Directory.Build.props), and <c>./build.sh</c> packs all four before it runs the tests, under a version of its own
/// that it names in <c>LIGHTNING_PACKAGE_VERSION</c>.
/// </summary>
internal static class BuiltPackages
{
    /// <summary>The version <c>./build.sh</c> packed, else the one version of all packages, which the test assemblies share.</summary>
    public static string Version { get; } = Environment.GetEnvironmentVariable("LIGHTNING_PACKAGE_VERSION") is { Length: > 0 } built
        ? built
        : typeof(BuiltPackages).Assembly.GetName().Version!.ToString(3);

    public static string Folder => Path.Combine(RepositoryPaths.Root, "artifacts", "packages");

    /// <summary>The <c>.nupkg</c> of <paramref name="id"/>, packed from <paramref name="project"/> (relative to the root).</summary>
    public static string Find(string id, string project)
    {
        var path = Path.Combine(Folder, $"{id}.{Version}.nupkg");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"{path} is missing: these tests check the packages the build produces. Run ./build.sh test from the " +
                $"repository root, or pack this one with `dotnet pack -c Release {project}`.", path);
    }

    /// <summary>The dependencies the <c>.nuspec</c> of the package at <paramref name="path"/> lists, as (id, version).</summary>
    public static List<(string Id, string Version)> Dependencies(string path)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        return System.Xml.Linq.XDocument.Load(stream).Descendants()
            .Where(e => e.Name.LocalName == "dependency")
            .Select(e => ((string)e.Attribute("id")!, (string)e.Attribute("version")!))
            .ToList();
    }
}
