using Lightning.Templates.Tests.Support;

namespace Lightning.Templates.Tests;

[TestClass]
public sealed class ItemTemplateTests
{
    [TestMethod]
    public void ItemTemplatesJoinTheProjectNamespaceAndBuild()
    {
        var project = Projects.LightningWithItems;

        Snapshot.Match("lightning-none-with-items", project.Directory);
        StringAssert.Contains(project.Read("Encoder.cs"), "namespace Acme.Vision;");
        StringAssert.Contains(project.Read("Encoder.cs"), "public sealed class Encoder : LightningModule<(Tensor X, Tensor Y)>");
        StringAssert.Contains(project.Read("ImageData.cs"), "public sealed class ImageData : LightningDataModule<(Tensor X, Tensor Y)>");
        StringAssert.Contains(project.Read("PrintMetrics.cs"), "public sealed class PrintMetrics : Callback");
    }

    [TestMethod]
    [DataRow("lightning-module")]
    [DataRow("lightning-datamodule")]
    [DataRow("lightning-callback")]
    public void AClassNameStartingWithADigitIsRefused(string template)
    {
        var folder = TemplateEnvironment.NewFolder("refused-item");

        var result = Dotnet.New(folder, template, "-n", "2Encoder");

        Assert.AreNotEqual(0, result.ExitCode, result.Everything);
        StringAssert.Contains(result.Everything, "--name-must-start-with-a-letter");
        Assert.AreEqual(0, Directory.EnumerateFiles(folder).Count());
    }

    [TestMethod]
    [DataRow("lightning-module")]
    [DataRow("lightning-datamodule")]
    [DataRow("lightning-callback")]
    public void AClassNameWithASpaceBecomesASafeIdentifier(string template)
    {
        var folder = TemplateEnvironment.NewFolder("spaced-item");

        Dotnet.New(folder, template, "-n", "My Encoder").ShouldSucceed();

        StringAssert.Contains(File.ReadAllText(Path.Combine(folder, "My Encoder.cs")), "public sealed class My_Encoder :");
    }

    [TestMethod]
    [DataRow("lightning-module", ": LightningModule<(Tensor X, Tensor Y)>")]
    [DataRow("lightning-datamodule", ": LightningDataModule<(Tensor X, Tensor Y)>")]
    [DataRow("lightning-callback", ": Callback")]
    public void AClassNameThatIsACSharpKeywordIsEscaped(string template, string baseType)
    {
        var folder = TemplateEnvironment.NewFolder("keyword-item");

        Dotnet.New(folder, template, "-n", "class").ShouldSucceed();

        StringAssert.Contains(File.ReadAllText(Path.Combine(folder, "class.cs")), $"public sealed class @class {baseType}");
    }
}
