namespace Lightning.Templates.Tests.Support;

/// <summary>Runs <c>dotnet lightning</c> (the tool this build produced) in a generated project's folder.</summary>
internal static class LightningTool
{
    // The tool project is built with the same configuration as this test project (bin/<configuration>/net10.0).
    private static readonly string Dll = Path.Combine(RepositoryPaths.Root, "tool", "Lightning.Tool", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "dotnet-lightning.dll");

    public static Dotnet.Result Run(GeneratedProject project, params string[] args)
    {
        if (!File.Exists(Dll)) Assert.Fail($"The tool is not built at {Dll}; build tests/Lightning.Templates.Tests (it builds the tool first).");
        return Dotnet.Run(project.Directory, [Dll, .. args]);
    }
}
