namespace Lightning.Tool.Tests.Support;

/// <summary>Finds the repository root, the test project's folder and the shared data beside the repository.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string TestProject => Path.Combine(Root, "tests", "Lightning.Tool.Tests");

    public static string Goldens => Path.Combine(TestProject, "Goldens");

    public static string RuntimeProject => Path.Combine(Root, "runtime", "Lightning", "Lightning.csproj");

    public static string SharedData(params string[] parts) => Path.Combine([Path.GetDirectoryName(Root)!, "shared", "data", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Lightning.Templates.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (the folder holding Lightning.Templates.sln) above " + AppContext.BaseDirectory);
    }
}
