namespace Lightning.Tests.Support;

/// <summary>Finds the repository root above the running assembly, and the data sets the repository carries.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// A file of the repository's one copy of its data sets (digits.csv.gz, iris.csv, with their licences): the
    /// folder the classifier template ships to every project made from it, which tests and benchmarks read too.
    /// </summary>
    public static string Data(string file)
    {
        var path = Path.Combine(Root, "templates", "content", "lightning-classifier", "Data", file);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The data file {path} is missing from this checkout; restore it with `git checkout -- {Path.GetRelativePath(Root, path)}`.", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Lightning.Templates.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (the folder holding Lightning.Templates.sln) above " + AppContext.BaseDirectory);
    }
}
