namespace Lightning.Strategies;

/// <summary>Finds the MPI programs the runtime starts (<c>mpirun</c>, <c>ompi-server</c>) as a shell would, on the PATH.</summary>
internal static class ProgramSearch
{
    /// <summary>The path of the first of <paramref name="names"/> found in the PATH's folders, in order, or <see langword="null"/>.</summary>
    public static string? OnPath(params string[] names)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
                if (File.Exists(Path.Combine(folder, name))) return Path.Combine(folder, name);
        }
        return null;
    }
}
