using System.IO.Compression;
using System.Text.Json;
using Lightning.Templates.Tests.Support;

namespace Lightning.Templates.Tests;

[TestClass]
public sealed class PackageTests
{
    private static readonly string[] ShortNames = ["lightning", "lightning-callback", "lightning-classifier", "lightning-datamodule", "lightning-module"];

    [TestMethod]
    public void ThePackHoldsEveryTemplateClassifiedAsMachineLearning()
    {
        using var package = ZipFile.OpenRead(TemplateEnvironment.TemplatePackage);
        var templates = package.Entries.Where(e => e.FullName.EndsWith("/.template.config/template.json", StringComparison.Ordinal))
            .Select(e =>
            {
                using var stream = e.Open();
                return JsonDocument.Parse(stream).RootElement.Clone();
            }).ToList();

        CollectionAssert.AreEquivalent(ShortNames, templates.Select(t => t.GetProperty("shortName").GetString()).ToList());
        foreach (var template in templates)
        {
            var classifications = template.GetProperty("classifications").EnumerateArray().Select(c => c.GetString()).ToList();
            CollectionAssert.IsSubsetOf(new[] { "AI", "Machine Learning" }, classifications);
        }
        using var nuspec = new StreamReader(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        StringAssert.Contains(nuspec.ReadToEnd(), "<packageType name=\"Template\" />");
        Assert.IsFalse(package.Entries.Any(e => e.FullName.StartsWith("lib/", StringComparison.Ordinal)), "a template pack carries no assemblies");
    }

    [TestMethod]
    public void PackingWritesTheRepositoryVersionsIntoTheTemplates()
    {
        var output = TemplateEnvironment.NewFolder("pack");
        Dotnet.Run(output, "pack", Path.Combine(RepositoryPaths.Templates, "Lightning.Templates.csproj"), "-c", TemplateEnvironment.Configuration,
            $"-p:StampedTemplatesDir={Path.Combine(output, "stamped")}/", "-o", output).ShouldSucceed();
        var version = RepositoryVersions.Lightning;
        var torchSharp = RepositoryVersions.TorchSharp;

        using var package = ZipFile.OpenRead(Path.Combine(output, $"Lightning.Templates.{version}.nupkg"));
        foreach (var name in new[] { "lightning", "lightning-classifier" })
        {
            using var reader = new StreamReader(package.GetEntry($"content/{name}/.template.config/template.json")!.Open());
            var symbols = JsonDocument.Parse(reader.ReadToEnd()).RootElement.GetProperty("symbols");
            Assert.AreEqual(version, symbols.GetProperty("runtimeVersion").GetProperty("parameters").GetProperty("value").GetString(), name);
            Assert.AreEqual(torchSharp, symbols.GetProperty("torchSharpVersion").GetProperty("parameters").GetProperty("value").GetString(), name);
        }
    }

    [TestMethod]
    public void TheStampedFolderInstallsToo()
    {
        var hive = TemplateEnvironment.NewFolder("folder-hive");
        var folder = TemplateEnvironment.Stamped;

        Dotnet.Run(TemplateEnvironment.Root, "new", "install", folder, "--debug:custom-hive", hive).ShouldSucceed();
        var list = Dotnet.Run(TemplateEnvironment.Root, "new", "list", "lightning", "--debug:custom-hive", hive).ShouldSucceed();

        foreach (var shortName in ShortNames) StringAssert.Contains(list.Output, shortName);
    }
}
