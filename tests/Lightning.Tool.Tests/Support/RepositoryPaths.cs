using Shared = Lightning.Tests.Support.RepositoryPaths;

namespace Lightning.Tool.Tests.Support;

/// <summary>Folders of the repository this test project reads.</summary>
internal static class RepositoryPaths
{
    public static string TestProject => Path.Combine(Shared.Root, "tests", "Lightning.Tool.Tests");

    public static string Goldens => Path.Combine(TestProject, "Goldens");

    public static string RuntimeProject => Path.Combine(Shared.Root, "runtime", "Lightning", "Lightning.csproj");

    public static string CliProject => Path.Combine(Shared.Root, "runtime", "Lightning.Cli", "Lightning.Cli.csproj");
}
