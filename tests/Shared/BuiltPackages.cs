namespace Lightning.Tests.Support;

/// <summary>
/// The packages the build produced: <c>dotnet pack</c> writes them to <c>artifacts/packages</c> (see
/// Directory.Build.props), and <c>./build.sh</c> packs all three before it runs the tests.
/// </summary>
internal static class BuiltPackages
{
    /// <summary>The one version of all packages, which the test assemblies share.</summary>
    public static string Version { get; } = typeof(BuiltPackages).Assembly.GetName().Version!.ToString(3);

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
}
