using Lightning.Tool.Tests.Support;

namespace Lightning.Tool.Tests;

/// <summary>The data module files <c>add-dataset</c> writes (golden files) and the project changes they need.</summary>
[TestClass]
public sealed class AddDatasetTests
{
    [TestMethod]
    [DataRow("csv", "--name", "Iris", "--path", "data/iris.csv", "--label", "4", "--batch-size", "16")]
    [DataRow("idx", "--name", "FashionMnist", "--folder", "data/fashion", "--flatten")]
    [DataRow("image-folder", "--name", "Pets", "--image-size", "32", "--grayscale")]
    [DataRow("tensor", "--name", "Points", "--path", "data/points.pt", "--x-key", "features", "--y-key", "targets")]
    public void DataModuleMatchesItsGolden(string kind, params string[] options)
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        var run = project.Run(["add-dataset", kind, .. options]);
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Golden.AssertMatches($"Datasets/{kind}.cs.txt", project.Text(options[1] + ".cs"));
    }

    [TestMethod]
    public void PackagesAreAddedNextToTheExistingReferences()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        var run = project.Run("add-dataset", "image-folder");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual(ScratchProject.DefaultCsproj.Replace(
            "    <PackageReference Include=\"TorchSharp-cpu\" Version=\"0.107.0\" />\n",
            "    <PackageReference Include=\"TorchSharp-cpu\" Version=\"0.107.0\" />\n" +
            "    <PackageReference Include=\"SkiaSharp\" Version=\"3.119.0\" />\n" +
            "    <PackageReference Include=\"SkiaSharp.NativeAssets.Linux.NoDependencies\" Version=\"3.119.0\" />\n"), project.Text("App.csproj"));
        var again = project.Run("add-dataset", "image-folder", "--name", "Second");
        Assert.AreEqual(0, again.ExitCode, again.ToString());
        Assert.IsFalse(again.Output.Contains("SkiaSharp 3.119.0 to"), "A package referenced already is not added twice.");
    }

    [TestMethod]
    [DataRow("<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>")]
    [DataRow("<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup><PackageReference Include=\"Lightning.Runtime\" Version=\"0.1.0\" /></ItemGroup>\n</Project>\n")]
    [DataRow("<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    <PackageReference Include=\"Lightning.Runtime\">\n      <Version>0.1.0</Version>\n    </PackageReference>\n  </ItemGroup>\n</Project>\n")]
    public void PackagesLandInAnItemGroupHoweverTheProjectFileIsLaidOut(string csproj)
    {
        using var project = new ScratchProject(csproj: csproj);
        project.Write("Classifier.cs", Modules.Basic);
        Assert.AreEqual(0, project.Run("add-dataset", "csv").ExitCode);
        Assert.AreEqual(0, project.Run("add-dataset", "csv", "--name", "Second").ExitCode);
        var xml = System.Xml.Linq.XDocument.Parse(project.Text("App.csproj"));
        var sep = xml.Descendants("PackageReference").Where(e => e.Attribute("Include")?.Value == "Sep").ToList();
        Assert.HasCount(1, sep, project.Text("App.csproj"));
        Assert.AreEqual("ItemGroup", sep[0].Parent!.Name.LocalName, project.Text("App.csproj"));
    }

    [TestMethod]
    public void AnImageFolderThatExistsIsDescribed()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        foreach (var (kind, count) in new[] { ("cat", 2), ("dog", 3) })
            for (var i = 0; i < count; i++) project.Write($"data/pets/{kind}/{i}.png", "not decoded by the tool");
        project.Write("data/pets/notes/readme.txt", "no images here");
        var run = project.Run("add-dataset", "image-folder", "--path", "data/pets");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Output, "Found data/pets: 2 classes (cat, dog), 5 images (2 to 3 per class).");
    }

    [TestMethod]
    public void AnIdxFolderThatExistsIsChecked()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        project.Write("data/mnist/train-images-idx3-ubyte.gz", "x");
        project.Write("data/mnist/train-labels-idx1-ubyte", "x");
        var run = project.Run("add-dataset", "idx", "--folder", "data/mnist");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Output, "data/mnist lacks t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each may end in .gz)");
    }

    [TestMethod]
    public void CentralPackageManagementGetsExactInstructions()
    {
        using var project = new ScratchProject(csproj: """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(project.Directory)!, "Directory.Packages.props"),
            "<Project><PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup></Project>");
        project.Write("Classifier.cs", Modules.Basic);
        var csproj = project.Bytes("App.csproj");
        var run = project.Run("add-dataset", "tensor");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        CollectionAssert.AreEqual(csproj, project.Bytes("App.csproj"));
        StringAssert.Contains(run.Output, "<PackageReference Include=\"TorchSharp.PyBridge\" />");
        StringAssert.Contains(run.Output, "<PackageVersion Include=\"TorchSharp.PyBridge\" Version=\"1.4.4\" />");
    }

    [TestMethod]
    public void NewFileFollowsTheProjectsStyle()
    {
        using var project = new ScratchProject();
        project.Write("Net.cs", """
            using Lightning;
            using static TorchSharp.torch;

            namespace Shop.Models
            {
            	public sealed class Net : LightningModule<(Tensor X, Tensor Y)>
            	{
            	}
            }

            """, "\r\n", bom: true);
        var run = project.Run("add-dataset", "csv", "--name", "Sales");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var bytes = project.Bytes("Sales.cs");
        CollectionAssert.AreEqual(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = project.Text("Sales.cs");
        StringAssert.Contains(text, "namespace Shop.Models\r\n{\r\n\t/// <summary>");
        StringAssert.Contains(text, "\tpublic sealed class Sales : LightningDataModule<(Tensor X, Tensor Y)>\r\n\t{\r\n\t\tprivate");
        Assert.IsFalse(text.Contains("using System.Globalization;\r\nusing System.Globalization;"));
        Assert.IsFalse(text.Replace("\r\n", "").Contains('\n'));
    }

    [TestMethod]
    public void ListMarksTheHooksTheModuleHas()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        var run = project.Run("list");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Matches(run.Output, new System.Text.RegularExpressions.Regex(@"^\* training_step\s+TrainingStep", System.Text.RegularExpressions.RegexOptions.Multiline));
        StringAssert.Matches(run.Output, new System.Text.RegularExpressions.Regex(@"^  validation_step\s+ValidationStep", System.Text.RegularExpressions.RegexOptions.Multiline));
        StringAssert.Contains(run.Output, "image-folder");
        StringAssert.Contains(run.Output, "early-stopping");
    }

    [TestMethod]
    public void HelpOnEveryCommand()
    {
        using var project = new ScratchProject();
        foreach (var command in new[] { new[] { "--help" }, ["add-hook", "--help"], ["add-dataset", "--help"], ["add-dataset", "csv", "--help"], ["list", "--help"], ["doctor", "--help"] })
        {
            var run = project.Run(command);
            Assert.AreEqual(0, run.ExitCode, run.ToString());
            StringAssert.Contains(run.Output, "Usage:", string.Join(' ', command));
        }
    }
}
