using Lightning.Templates.Tests.Support;

namespace Lightning.Templates.Tests;

[TestClass]
public sealed class GeneratedCodeTests
{
    private static readonly string[] TemplateMarkers =
        ["LightningNamespace", "LightningModel", "LightningItem", "LightningApp", "LightningClassifier", "LIGHTNING_RUNTIME_VERSION",
         "TORCHSHARP_VERSION", "@LightningVersion@", "@TorchSharpVersion@", "@HookStubs@", "#if", "#endif", "<!--#"];

    public static IEnumerable<object[]> Generated =>
    [
        ["lightning"], ["lightning-classifier"], ["lightning-classifier --data csv"], ["lightning --backend none, with item templates"],
    ];

    [TestMethod]
    [DynamicData(nameof(Generated))]
    public void NoTemplateMarkerIsLeft(string variant)
    {
        var project = Project(variant);
        foreach (var file in SourceFiles(project))
        {
            var text = File.ReadAllText(file);
            foreach (var marker in TemplateMarkers)
                Assert.IsFalse(text.Contains(marker, StringComparison.Ordinal), $"{Path.GetFileName(file)} of {variant} still contains {marker}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Generated))]
    public void TheCodeIsAsDotnetFormatLeavesIt(string variant)
    {
        var project = Project(variant);

        Dotnet.Run(project.Directory, "format", "--verify-no-changes", "--no-restore").ShouldSucceed();
    }

    private static GeneratedProject Project(string variant) => variant switch
    {
        "lightning" => Projects.Lightning,
        "lightning-classifier" => Projects.Digits,
        "lightning-classifier --data csv" => Projects.Csv,
        _ => Projects.LightningWithItems,
    };

    private static IEnumerable<string> SourceFiles(GeneratedProject project) =>
        Directory.EnumerateFiles(project.Directory, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".cs" or ".csproj" or ".md")
            .Where(f => !Path.GetRelativePath(project.Directory, f).StartsWith("obj", StringComparison.Ordinal)
                && !Path.GetRelativePath(project.Directory, f).StartsWith("bin", StringComparison.Ordinal));
}
