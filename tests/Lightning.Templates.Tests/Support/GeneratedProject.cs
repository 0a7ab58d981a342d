namespace Lightning.Templates.Tests.Support;

/// <summary>A project made by <c>dotnet new</c> in a folder of its own, which can be built and run.</summary>
internal sealed class GeneratedProject
{
    private GeneratedProject(string name, string directory, Dotnet.Result creation)
    {
        Name = name;
        Directory = directory;
        Creation = creation;
    }

    public string Name { get; }

    /// <summary>The project folder.</summary>
    public string Directory { get; }

    /// <summary>What <c>dotnet new</c> printed.</summary>
    public Dotnet.Result Creation { get; }

    /// <summary>Instantiates <paramref name="template"/> as project <paramref name="name"/> with the given template options.</summary>
    public static GeneratedProject Create(string template, string name, params string[] options)
    {
        var parent = TemplateEnvironment.NewFolder(template);
        var creation = Dotnet.New(parent, [template, "-n", name, .. options]).ShouldSucceed();
        return new GeneratedProject(name, Path.Combine(parent, name), creation);
    }

    /// <summary>Builds with warnings as errors.</summary>
    public GeneratedProject Build()
    {
        Dotnet.Run(Directory, "build", "-warnaserror", "-nologo", "-clp:NoSummary").ShouldSucceed();
        return this;
    }

    /// <summary>Runs the built application with <paramref name="args"/> in the project folder.</summary>
    public Dotnet.Result Run(params string[] args) =>
        Dotnet.Run(Directory, [Path.Combine(Directory, "bin", "Debug", "net10.0", Name + ".dll"), .. args]);

    /// <summary>The text of a generated file.</summary>
    public string Read(string relativePath) => File.ReadAllText(Path.Combine(Directory, relativePath));
}
