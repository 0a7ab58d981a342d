using System.IO.Compression;
using Lightning.Tests.Support;
using TorchSharp;

namespace Lightning.Tests.Packaging;

[TestClass]
public sealed class RuntimePackageTests
{
    private static readonly Lazy<string> Package = new(() => BuiltPackages.Find("Lightning.Runtime", "runtime/Lightning"));

    [TestMethod]
    public void DependsOnTorchSharpOfTheVersionItWasBuiltWith()
    {
        var torchSharp = Dependencies().Where(d => d.Id == "TorchSharp").ToList();

        Assert.AreNotEqual(0, torchSharp.Count, "The runtime package must depend on TorchSharp.");
        var built = typeof(torch).Assembly.GetName().Version!.ToString(3);
        foreach (var dependency in torchSharp) Assert.AreEqual(built, dependency.Version);
    }

    [TestMethod]
    public void LeavesTheBackendToTheApplication()
    {
        // A backend is 1 GB of LibTorch for one platform; the application picks it (TorchSharp-cpu, -cuda-linux, ...).
        var backends = Dependencies()
            .Select(d => d.Id)
            .Where(id => id.StartsWith("TorchSharp-", StringComparison.OrdinalIgnoreCase) || id.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase))
            .ToList();

        Assert.AreEqual(0, backends.Count, "Backend dependencies: " + string.Join(", ", backends));
    }

    [TestMethod]
    public void CarriesTheAssemblyAndItsDocumentation()
    {
        using var zip = ZipFile.OpenRead(Package.Value);
        var entries = zip.Entries.Select(e => e.FullName).ToList();

        CollectionAssert.Contains(entries, "lib/net10.0/Lightning.dll");
        CollectionAssert.Contains(entries, "lib/net10.0/Lightning.xml");
    }

    [TestMethod]
    public void LeavesTheCommandLineToLightningCli()
    {
        var ids = Dependencies().Select(d => d.Id).ToList();

        CollectionAssert.DoesNotContain(ids, "System.CommandLine");
        CollectionAssert.DoesNotContain(ids, "YamlDotNet");
    }

    private static List<(string Id, string Version)> Dependencies() => BuiltPackages.Dependencies(Package.Value);
}
