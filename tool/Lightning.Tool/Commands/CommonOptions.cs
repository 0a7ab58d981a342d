using System.CommandLine;

namespace Lightning.Tool.Commands;

/// <summary>The options several commands share, spelled and described the same everywhere.</summary>
internal static class CommonOptions
{
    /// <summary><c>--project</c>: the project file or folder, as <c>dotnet ef</c> takes it.</summary>
    public static Option<string?> Project() => new("--project", "-p")
    {
        Description = "The project file (.csproj) or its folder. Default: the project in the current folder.",
        HelpName = "file|dir",
    };

    /// <summary><c>--class</c>: which module when the project has several.</summary>
    public static Option<string?> Class() => new("--class", "-c")
    {
        Description = "The LightningModule class to work on, when the project has several (name or namespace-qualified name).",
        HelpName = "name",
    };

    /// <summary><c>--dry-run</c>: show the diff, write nothing.</summary>
    public static Option<bool> DryRun() => new("--dry-run")
    {
        Description = "Print the changes as a unified diff and write nothing.",
    };

    /// <summary><c>--force</c>: overwrite what exists.</summary>
    public static Option<bool> Force() => new("--force", "-f")
    {
        Description = "Overwrite a file the command would create if it exists already.",
    };
}
