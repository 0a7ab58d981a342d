namespace Lightning.Templates.Tests.Support;

/// <summary>Folders of the repository the tests run from.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Templates => Path.Combine(Root, "templates");

    public static string Snapshots => Path.Combine(Root, "tests", "Lightning.Templates.Tests", "Snapshots");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Lightning.Templates.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (the folder holding Lightning.Templates.sln) above " + AppContext.BaseDirectory);
    }
}
