using System.Xml.Linq;
using Lightning.Tests.Support;

namespace Lightning.Tool.Tests;

/// <summary>
/// Code the runtime and the tool both need lives once, in <c>common/</c>, which both compile; neither reaches into
/// the other's folder, and generated code calls the runtime instead of carrying its own copy.
/// </summary>
[TestClass]
public sealed class SharedSourceTests
{
    [TestMethod]
    [DataRow("tool/Lightning.Tool/Lightning.Tool.csproj", "runtime/")]
    [DataRow("runtime/Lightning/Lightning.csproj", "tool/")]
    public void EachProjectCompilesCommonAndNothingOfTheOther(string project, string other)
    {
        // The tool reads the runtime's hook declaration as an additional file, for its generator: that compiles nothing.
        var compiled = XDocument.Load(Path.Combine(RepositoryPaths.Root, project)).Descendants("Compile")
            .Select(c => c.Attribute("Include")?.Value ?? "").ToList();
        CollectionAssert.Contains(compiled, "../../common/**/*.cs");
        Assert.IsFalse(compiled.Any(c => c.Contains("../../" + other, StringComparison.Ordinal)), $"{project} compiles files of {other}");
    }

    [TestMethod]
    public void GeneratedIdxCodeReadsThroughTheRuntime()
    {
        var template = Templates.TemplateRenderer.Read("Datasets.Idx");
        StringAssert.Contains(template, "IdxFile.Read(");
        Assert.IsFalse(template.Contains("GZipStream", StringComparison.Ordinal), "the template parses IDX itself");
    }
}
