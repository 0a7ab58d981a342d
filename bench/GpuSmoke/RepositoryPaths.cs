namespace Lightning.Tests.Support;

/// <summary>
/// Where the linked <c>Digits</c> loader finds its data: the folder named by <c>LIGHTNING_SMOKE_DATA</c> (on the GPU
/// machine, the copy that travels with the app), else the first <c>shared/data</c> above the app (the one beside the
/// repository in a checkout).
/// </summary>
internal static class RepositoryPaths
{
    public static string SharedData(params string[] parts)
    {
        if (Environment.GetEnvironmentVariable("LIGHTNING_SMOKE_DATA") is { Length: > 0 } root)
            return Existing(Path.GetFullPath(Path.Combine([root, .. parts])));
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine([dir.FullName, "shared", "data", .. parts]);
            if (File.Exists(path)) return path;
        }
        return Existing(Path.Combine(["shared", "data", .. parts]));
    }

    private static string Existing(string path) => File.Exists(path)
        ? path
        : throw new FileNotFoundException($"The data file {path} is missing; set LIGHTNING_SMOKE_DATA to the folder holding digits/digits.csv.gz.", path);
}
