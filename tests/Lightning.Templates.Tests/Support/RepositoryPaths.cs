using Shared = Lightning.Tests.Support.RepositoryPaths;

namespace Lightning.Templates.Tests.Support;

/// <summary>Folders of the repository the tests run from.</summary>
internal static class RepositoryPaths
{
    public static string Root => Shared.Root;

    public static string Templates => Path.Combine(Root, "templates");

    public static string Snapshots => Path.Combine(Root, "tests", "Lightning.Templates.Tests", "Snapshots");
}
