namespace Lightning.Tests.Support;

/// <summary>Finds the repository root and the shared data folder beside it.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string SharedData(params string[] parts)
    {
        var path = System.IO.Path.Combine([System.IO.Path.GetDirectoryName(Root)!, "shared", "data", .. parts]);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The shared data file {path} is missing; it lives in ../shared/data beside the repository.", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Lightning.Templates.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (the folder holding Lightning.Templates.sln) above " + AppContext.BaseDirectory);
    }
}
