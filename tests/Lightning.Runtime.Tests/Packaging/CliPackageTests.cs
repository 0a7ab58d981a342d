using System.Xml.Linq;
using Lightning.Tests.Support;

namespace Lightning.Tests.Packaging;

/// <summary>LightningCli's package, <c>Lightning.Cli</c>: the command-line and YAML libraries are its own, not the runtime's.</summary>
[TestClass]
public sealed class CliPackageTests
{
    private static readonly string[] CommandLineLibraries = ["System.CommandLine", "YamlDotNet"];

    [TestMethod]
    public void TheRuntimeReferencesNoCommandLineOrYamlLibrary()
    {
        var assemblies = typeof(Trainer).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        var packages = XDocument.Load(Path.Combine(RepositoryPaths.Root, "runtime", "Lightning", "Lightning.csproj"))
            .Descendants("PackageReference").Select(e => (string?)e.Attribute("Include")).ToList();
        var cli = typeof(LightningCli).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        foreach (var library in CommandLineLibraries)
        {
            CollectionAssert.DoesNotContain(assemblies, library, "the runtime assembly references it");
            CollectionAssert.DoesNotContain(packages, library, "the runtime project references its package");
            CollectionAssert.Contains(cli, library, "LightningCli's assembly is where it belongs");
        }
    }

    [TestMethod]
    public void DependsOnTheRuntimeOfItsOwnVersionAndTheCommandLineLibraries()
    {
        var dependencies = BuiltPackages.Dependencies(BuiltPackages.Find("Lightning.Cli", "runtime/Lightning.Cli"));

        CollectionAssert.Contains(dependencies, ("Lightning.Runtime", BuiltPackages.Version));
        foreach (var library in CommandLineLibraries) Assert.IsTrue(dependencies.Any(d => d.Id == library), library);
    }
}
