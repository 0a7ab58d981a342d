namespace Lightning.Tool.Projects;

/// <summary>
/// Finds the project to work on the way <c>dotnet ef</c> does: <c>--project</c> names a .csproj file or a
/// folder holding exactly one; without it, the current folder must hold exactly one.
/// </summary>
internal static class ProjectLocator
{
    /// <summary>The full path of the project file.</summary>
    public static string Locate(string? project, ToolContext context)
    {
        var path = context.FullPath(project ?? ".");
        if (File.Exists(path))
        {
            if (!path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
                throw ToolException.Usage($"{path} is not a C# project file (.csproj). Pass --project <path to a .csproj or its folder>.");
            return path;
        }
        if (!Directory.Exists(path))
            throw new ToolException($"No file or folder {path}. Pass --project <path to a .csproj or its folder>.");
        var projects = Directory.GetFiles(path, "*.csproj").Order(StringComparer.Ordinal).ToArray();
        return projects.Length switch
        {
            1 => projects[0],
            0 => throw new ToolException(project is null
                ? $"No project file (.csproj) in the current folder {path}. Run in your project's folder or pass --project <path to a .csproj or its folder>."
                : $"No project file (.csproj) in {path}. Pass --project <path to a .csproj or its folder>."),
            // The example must work from where the user typed the command, so it is relative to the working folder, not to the project folder.
            _ => throw ToolException.Usage(
                $"{path} holds several projects: {string.Join(", ", projects.Select(Path.GetFileName))}. Pick one with --project, e.g. --project {Path.GetRelativePath(context.WorkingDirectory, projects[0])}."),
        };
    }
}
